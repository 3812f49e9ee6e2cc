/**
 * Time-bucketed occurrence counts of one event name, so "how many times in the last 7 days" costs
 * O(buckets) and memory stays bounded however many events the visitor sends.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Minute buckets answer windows up to 3 hours. */
export const MINUTE_RETENTION_MS = 3 * HOUR_MS;
/** Hour buckets answer windows up to 8 days. */
export const HOUR_RETENTION_MS = 8 * DAY_MS;
/** UTC-day buckets answer windows up to 400 days. */
export const DAY_RETENTION_MS = 400 * DAY_MS;

/**
 * Occurrences in one time slot: `[start, count, first, last]` (epoch ms). A tuple rather than an
 * object: hundreds are stored per event name. `first`/`last` make window edges exact in the
 * common cases (see `countWithin`).
 */
export type Bucket = [start: number, count: number, first: number, last: number];

/** Lifetime count and first/last times (epoch ms; 0 while `count` is 0), plus three tiers of buckets sorted by start. */
export interface EventAggregate {
  count: number;
  first: number;
  last: number;
  minutes: Bucket[];
  hours: Bucket[];
  days: Bucket[];
}

type Tier = 'minutes' | 'hours' | 'days';
const TIERS: ReadonlyArray<readonly [Tier, number, number]> = [
  ['minutes', MINUTE_MS, MINUTE_RETENTION_MS],
  ['hours', HOUR_MS, HOUR_RETENTION_MS],
  ['days', DAY_MS, DAY_RETENTION_MS],
];

/** An aggregate with no occurrences. */
export function createAggregate(): EventAggregate {
  return { count: 0, first: 0, last: 0, minutes: [], hours: [], days: [] };
}

/** Removes the buckets that end at or before `cutoff`: every occurrence in them is older than any window they answer. */
function prune(buckets: Bucket[], size: number, cutoff: number): void {
  while (buckets.length && buckets[0]![0] + size <= cutoff) buckets.shift();
}

/** Counts `t` in its bucket of one tier (mutates): see `recordOccurrence`. */
function recordInTier(buckets: Bucket[], size: number, retention: number, t: number): void {
  const start = Math.floor(t / size) * size;
  // In-order events land in the last bucket or right after it: the scan from the end is O(1).
  let i = buckets.length;
  while (i > 0 && buckets[i - 1]![0] > start) i--;
  const bucket = buckets[i - 1];
  if (bucket && bucket[0] === start) {
    bucket[1]++;
    if (t < bucket[2]) bucket[2] = t;
    if (t > bucket[3]) bucket[3] = t;
  } else {
    if (i === buckets.length) buckets.push([start, 1, t, t]);
    else buckets.splice(i, 0, [start, 1, t, t]);
    prune(buckets, size, t - retention);
  }
}

/**
 * Records one occurrence in all three tiers (mutates). Timestamps may arrive out of order (other
 * tabs). A tier is pruned when it gains a bucket (the only time it grows), relative to this
 * timestamp rather than the newest one seen, so one event from a clock set far ahead cannot wipe
 * the real history; such future buckets go once their time has passed. The tiers are unrolled
 * (no loop over TIERS): this runs on every track().
 */
export function recordOccurrence(agg: EventAggregate, timestampMs: number): void {
  const t = timestampMs;
  if (agg.count === 0) agg.first = agg.last = t;
  else {
    if (t < agg.first) agg.first = t;
    if (t > agg.last) agg.last = t;
  }
  agg.count++;
  recordInTier(agg.minutes, MINUTE_MS, MINUTE_RETENTION_MS, t);
  recordInTier(agg.hours, HOUR_MS, HOUR_RETENTION_MS, t);
  recordInTier(agg.days, DAY_MS, DAY_RETENTION_MS, t);
}

/**
 * Occurrences with `timestamp >= nowMs - windowMs`, from the finest tier whose retention covers
 * the window (windows over 400 days: the day tier, or the lifetime count when every occurrence is
 * inside). Occurrences after `nowMs` (another tab's clock, a clock set back) count: they are not
 * older than the window. The bucket straddling the cutoff counts all of its occurrences when its
 * `first` is inside the window, none when its `last` is outside, otherwise a share proportional to
 * the part of [first, last] inside, clamped to [1, count - 1] since `last` is in and `first` out:
 * exact for a single instant, for two occurrences, and for an event exactly at the cutoff.
 * Windows that are negative or NaN count nothing.
 */
export function countWithin(agg: EventAggregate, windowMs: number, nowMs: number): number {
  const cutoff = nowMs - windowMs;
  if (!agg.count || !(windowMs >= 0) || agg.last < cutoff) return 0;
  if (agg.first >= cutoff) return agg.count;
  const buckets = windowMs <= MINUTE_RETENTION_MS ? agg.minutes : windowMs <= HOUR_RETENTION_MS ? agg.hours : agg.days;
  let total = 0;
  // Newest first; buckets are disjoint and sorted, so the first one ending before the cutoff ends the scan.
  for (let i = buckets.length - 1; i >= 0; i--) {
    // Indexed reads: destructuring a bucket allocates an iterator in Node 20 (~100 ns per bucket).
    const bucket = buckets[i]!;
    const last = bucket[3];
    if (last < cutoff) break;
    const count = bucket[1];
    const first = bucket[2];
    total += first >= cutoff ? count : Math.min(count - 1, Math.max(1, Math.round((count * (last - cutoff)) / (last - first))));
  }
  return total;
}

/** Sums two aggregates into a new one (buckets copied, same-start buckets combined); inputs unchanged. */
export function mergeAggregates(a: EventAggregate, b: EventAggregate): EventAggregate {
  const out = createAggregate();
  out.count = a.count + b.count;
  out.first = a.count && b.count ? Math.min(a.first, b.first) : a.count ? a.first : b.first;
  out.last = a.count && b.count ? Math.max(a.last, b.last) : a.count ? a.last : b.last;
  for (const [tier] of TIERS) {
    const buckets = out[tier];
    for (const [start, count, first, last] of [...a[tier], ...b[tier]].sort((x, y) => x[0] - y[0])) {
      const prev = buckets[buckets.length - 1];
      if (prev && prev[0] === start) {
        prev[1] += count;
        prev[2] = Math.min(prev[2], first);
        prev[3] = Math.max(prev[3], last);
      } else buckets.push([start, count, first, last]);
    }
  }
  return out;
}

/** Drops the buckets past their tier's retention as of `nowMs` (mutates); the lifetime count and first/last stay. */
export function pruneAggregate(agg: EventAggregate, nowMs: number): void {
  for (const [tier, size, retention] of TIERS) prune(agg[tier], size, nowMs - retention);
}
