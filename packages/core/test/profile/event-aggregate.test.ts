import { describe, expect, it } from 'vitest';
import {
  DAY_RETENTION_MS,
  HOUR_RETENTION_MS,
  MINUTE_RETENTION_MS,
  countWithin,
  createAggregate,
  mergeAggregates,
  pruneAggregate,
  recordOccurrence,
  type EventAggregate,
} from '../../src/profile/event-aggregate.js';
import { prng } from '../../../../bench/prng.mjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Deliberately not on a minute, hour or day boundary. */
const T0 = Date.UTC(2025, 2, 14, 15, 26, 53, 589);

function aggregateOf(times: number[]): EventAggregate {
  const agg = createAggregate();
  for (const t of times) recordOccurrence(agg, t);
  return agg;
}

const buckets = (agg: EventAggregate) => agg.minutes.length + agg.hours.length + agg.days.length;

describe('recordOccurrence', () => {
  it('keeps the lifetime count and the first and last times', () => {
    const agg = aggregateOf([T0, T0 + 5 * DAY, T0 + 2 * DAY]);
    expect([agg.count, agg.first, agg.last]).toEqual([3, T0, T0 + 5 * DAY]);
  });

  it('records every occurrence in all three tiers', () => {
    const agg = aggregateOf([T0, T0, T0 + 1]);
    expect(agg.minutes).toEqual([[Math.floor(T0 / MIN) * MIN, 3, T0, T0 + 1]]);
    expect(agg.hours).toEqual([[Math.floor(T0 / HOUR) * HOUR, 3, T0, T0 + 1]]);
    expect(agg.days).toEqual([[Date.UTC(2025, 2, 14), 3, T0, T0 + 1]]);
  });

  it('keeps buckets sorted by start when times arrive out of order', () => {
    const agg = aggregateOf([T0 + 2 * HOUR, T0, T0 + HOUR, T0 + 2 * HOUR + 1]);
    for (const tier of [agg.minutes, agg.hours, agg.days]) {
      expect(tier.map((b) => b[0])).toEqual([...tier.map((b) => b[0])].sort((a, b) => a - b));
    }
    expect(agg.hours.map((b) => b[1])).toEqual([1, 1, 2]);
    expect([agg.first, agg.last]).toEqual([T0, T0 + 2 * HOUR + 1]);
  });

  it('keeps at most 3 hours of minute buckets under a dense stream', () => {
    const agg = createAggregate();
    for (let t = T0; t < T0 + 10 * HOUR; t += 20_000) recordOccurrence(agg, t);
    expect(agg.minutes).toHaveLength(181);
    expect(agg.hours).toHaveLength(11);
  });

  it('updates first and last of an existing bucket with an out-of-order time', () => {
    const agg = aggregateOf([T0 + 10, T0 + 20, T0 + 5]);
    expect(agg.minutes[0]!.slice(1)).toEqual([3, T0 + 5, T0 + 20]);
  });

  it('keeps no more than 3h/60 + 8×24 + 400 (+3) buckets over 100,000 occurrences spread over 2 years', () => {
    const random = prng(7);
    const agg = createAggregate();
    let t = T0;
    const most = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      t += Math.floor(random() * 21 * MIN);
      recordOccurrence(agg, t);
      most[0] = Math.max(most[0]!, agg.minutes.length);
      most[1] = Math.max(most[1]!, agg.hours.length);
      most[2] = Math.max(most[2]!, agg.days.length);
    }
    expect(t - T0).toBeGreaterThan(700 * DAY);
    expect(most[0]).toBeLessThanOrEqual(181);
    expect(most[1]).toBeLessThanOrEqual(193);
    expect(most[2]).toBeLessThanOrEqual(401);
    expect(buckets(agg)).toBeLessThanOrEqual(180 + 192 + 400 + 3);
    expect(agg.count).toBe(100_000);
  });
});

describe('countWithin', () => {
  // Events 10 minutes, 1 hour, 5 hours, 3 days, 20 days and 100 days before T0 (one each).
  const agg = aggregateOf([T0 - 100 * DAY, T0 - 20 * DAY, T0 - 3 * DAY, T0 - 5 * HOUR, T0 - HOUR, T0 - 10 * MIN]);

  it.each([
    ['30m', 30 * MIN, 1],
    ['2h', 2 * HOUR, 2],
    ['7d', 7 * DAY, 4],
    ['30d', 30 * DAY, 5],
    ['365d', 365 * DAY, 6],
  ])('counts the events of the last %s', (_label, window, expected) => {
    expect(countWithin(agg, window, T0)).toBe(expected);
  });

  it('counts fewer events as the clock advances', () => {
    let now = T0 + 25 * MIN;
    expect(countWithin(agg, 30 * MIN, now)).toBe(0);
    expect(countWithin(agg, 2 * HOUR, now)).toBe(2);
    now = T0 + HOUR + 1;
    expect(countWithin(agg, 2 * HOUR, now)).toBe(1);
    now = T0 + 5 * DAY;
    expect(countWithin(agg, 7 * DAY, now)).toBe(3);
    expect(countWithin(agg, 30 * DAY, now)).toBe(5);
    now = T0 + 300 * DAY;
    expect(countWithin(agg, 365 * DAY, now)).toBe(5);
    expect(countWithin(agg, 30 * DAY, now)).toBe(0);
  });

  // For each tier: three events at one instant, plus one two days older (another bucket of every
  // tier) so the count reads the tier rather than the lifetime count.
  describe.each([
    ['30m (minute buckets)', 30 * MIN],
    ['2h (minute buckets)', 2 * HOUR],
    ['3h (minute buckets)', MINUTE_RETENTION_MS],
    ['7d (hour buckets)', 7 * DAY],
    ['8d (hour buckets)', HOUR_RETENTION_MS],
    ['30d (day buckets)', 30 * DAY],
    ['365d (day buckets)', 365 * DAY],
    ['400d (day buckets)', DAY_RETENTION_MS],
  ])('window %s', (_label, window) => {
    const edge = aggregateOf([T0 - 2 * DAY, T0, T0, T0]);

    it('counts events exactly at the cutoff', () => {
      expect(countWithin(edge, window, T0 + window)).toBe(3);
    });

    it('does not count events 1 ms older than the cutoff', () => {
      expect(countWithin(edge, window, T0 + window + 1)).toBe(0);
    });

    it('counts the one event at the cutoff but not the one 1 ms before it in the same bucket', () => {
      const pair = aggregateOf([T0 - 2 * DAY, T0 - 1, T0]);
      expect(countWithin(pair, window, T0 + window)).toBe(1);
    });
  });

  it('estimates a straddling bucket within its count, never all or nothing', () => {
    const agg = aggregateOf([T0 - DAY, T0, T0 + 10, T0 + 20, T0 + 30, T0 + 40]);
    // Hour tier: one bucket holds T0..T0+40; the cutoff at T0+20 is in its middle.
    expect(countWithin(agg, 7 * DAY, T0 + 20 + 7 * DAY)).toBe(3);
  });

  it('stays within one edge bucket of the exact count on random data', () => {
    const random = prng(11);
    const times: number[] = [];
    let t = T0;
    for (let i = 0; i < 3000; i++) times.push((t += Math.floor(random() * 4 * HOUR)));
    const agg = aggregateOf(times);
    const now = t + HOUR;
    for (const [window, bucket] of [[30 * MIN, MIN], [3 * HOUR, MIN], [2 * DAY, HOUR], [8 * DAY, HOUR], [90 * DAY, DAY], [400 * DAY, DAY]] as const) {
      const exact = times.filter((x) => x >= now - window).length;
      const inEdge = times.filter((x) => Math.floor(x / bucket) === Math.floor((now - window) / bucket)).length;
      expect(Math.abs(countWithin(agg, window, now) - exact)).toBeLessThanOrEqual(inEdge);
    }
  });

  it('counts events dated after now (clock skew)', () => {
    const agg = aggregateOf([T0 - DAY, T0 + 5 * MIN]);
    expect(countWithin(agg, 30 * MIN, T0)).toBe(1);
    expect(countWithin(agg, 0, T0)).toBe(1);
  });

  it('uses the lifetime count for a window over 400 days when every event is inside it', () => {
    const agg = aggregateOf([T0 - 600 * DAY, T0]);
    expect(countWithin(agg, 700 * DAY, T0)).toBe(2);
  });

  it('sums the day buckets for a window over 400 days when older events have left them', () => {
    const agg = aggregateOf([T0 - 800 * DAY, T0 - 300 * DAY, T0]);
    expect(countWithin(agg, 500 * DAY, T0)).toBe(2);
  });

  it('counts every event for an infinite window', () => {
    expect(countWithin(aggregateOf([T0 - 900 * DAY, T0]), Infinity, T0)).toBe(2);
  });

  it('counts nothing for an empty aggregate or a negative or NaN window', () => {
    const agg = aggregateOf([T0]);
    expect(countWithin(createAggregate(), DAY, T0)).toBe(0);
    expect(countWithin(agg, -1, T0 - 10)).toBe(0);
    expect(countWithin(agg, NaN, T0)).toBe(0);
  });
});

describe('pruneAggregate', () => {
  it('drops buckets past retention but keeps the lifetime count and times', () => {
    const agg = aggregateOf([T0, T0 + HOUR]);
    pruneAggregate(agg, T0 + 2 * DAY);
    expect([agg.minutes.length, agg.hours.length, agg.days.length]).toEqual([0, 2, 1]);
    pruneAggregate(agg, T0 + 2 * 365 * DAY);
    expect(buckets(agg)).toBe(0);
    expect([agg.count, agg.first, agg.last]).toEqual([2, T0, T0 + HOUR]);
  });

  it('keeps answering windows the remaining tiers cover', () => {
    const agg = aggregateOf([T0, T0 + 4 * HOUR, T0 + 4 * HOUR + 1]);
    pruneAggregate(agg, T0 + 5 * HOUR);
    expect(agg.minutes).toHaveLength(1);
    expect(countWithin(agg, 2 * HOUR, T0 + 5 * HOUR)).toBe(2);
    expect(countWithin(agg, DAY, T0 + 5 * HOUR)).toBe(3);
  });

  it('drops buckets from a clock that was ahead once their time has passed', () => {
    const agg = aggregateOf([T0 + 30 * DAY, T0]);
    expect(agg.days).toHaveLength(2);
    pruneAggregate(agg, T0 + 431 * DAY);
    expect([agg.minutes.length, agg.hours.length, agg.days.length]).toEqual([0, 0, 0]);
  });
});

describe('mergeAggregates', () => {
  it('equals recording both streams into one aggregate, once pruned to the same time', () => {
    const random = prng(3);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 500; i++) (random() < 0.5 ? a : b).push(T0 + Math.floor(random() * 20 * DAY));
    const merged = mergeAggregates(aggregateOf(a), aggregateOf(b));
    const both = aggregateOf([...a, ...b]);
    const now = T0 + 20 * DAY;
    pruneAggregate(merged, now);
    pruneAggregate(both, now);
    expect(merged).toEqual(both);
    expect(merged.minutes.length).toBeGreaterThan(0);
  });

  it('leaves its inputs unchanged and shares no bucket with them', () => {
    const a = aggregateOf([T0]);
    const b = aggregateOf([T0 + 1]);
    const before = structuredClone([a, b]);
    const merged = mergeAggregates(a, b);
    recordOccurrence(merged, T0 + 2);
    expect([a, b]).toEqual(before);
  });

  it('treats an empty aggregate as zero', () => {
    const a = aggregateOf([T0, T0 + DAY]);
    expect(mergeAggregates(a, createAggregate())).toEqual(a);
    expect(mergeAggregates(createAggregate(), a)).toEqual(a);
    expect(mergeAggregates(createAggregate(), createAggregate())).toEqual(createAggregate());
  });
});
