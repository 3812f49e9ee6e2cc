/** The last raw events, for rules a bucketed count cannot answer ("3 views of shoes under $50 this week"). */
import type { ProfileEventInput } from './event-input.js';

/** One stored event: `t` is its time (epoch ms); `properties` is the event's object, not a copy (never mutated here). */
export interface RecentEvent {
  id: string;
  name: string;
  t: number;
  properties: Readonly<Record<string, unknown>>;
}

/** Time order, ties by id: one order whatever order events arrive or lists merge in. */
const after = (x: RecentEvent, t: number, id: string): boolean => x.t > t || (x.t === t && x.id > id);

const NONE: readonly never[] = [];

/**
 * Removes the oldest entries (the front) down to `cap` once `list` holds more than `cap + slack`,
 * and returns them. Trimming in batches keeps a push O(1): V8's shift() copies arrays of up to 100
 * elements, which would be the largest cost of a push.
 */
export function trimOldest<T>(list: T[], cap: number, slack = cap >> 3): readonly T[] {
  return list.length > cap + slack ? list.splice(0, list.length - Math.max(0, cap)) : NONE;
}

/**
 * Inserts the event in time order, newest last (mutates); beyond `cap` the oldest are dropped in
 * batches, so the list holds between `cap` and `cap + cap / 8` events. In-order events cost O(1).
 * An event whose id is already at its place (same id and time) is ignored: the duplicate check
 * costs nothing because an event's id and time travel together.
 */
export function pushRecent(list: RecentEvent[], event: ProfileEventInput, cap: number): void {
  const { id, name, timestampMs: t, properties } = event;
  let i = list.length;
  while (i > 0 && after(list[i - 1]!, t, id)) i--;
  if (list[i - 1]?.id === id) return;
  const record = { id, name, t, properties };
  if (i < list.length) list.splice(i, 0, record);
  else list.push(record);
  trimOldest(list, cap);
}

/** Drops events older than `ttlMs` before `nowMs` (mutates). */
export function expireRecent(list: RecentEvent[], nowMs: number, ttlMs: number): void {
  let n = 0;
  while (n < list.length && list[n]!.t < nowMs - ttlMs) n++;
  if (n) list.splice(0, n);
}

/** Both lists in time order as a new list (events shared, ids once), the newest `cap` kept. */
export function mergeRecent(a: readonly RecentEvent[], b: readonly RecentEvent[], cap: number): RecentEvent[] {
  const ids = new Set<string>();
  const out = [...a, ...b]
    .sort((x, y) => (after(x, y.t, y.id) ? 1 : -1))
    .filter((e) => !ids.has(e.id) && !!ids.add(e.id));
  return out.slice(Math.max(0, out.length - Math.max(0, cap)));
}
