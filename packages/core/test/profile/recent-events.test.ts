import { describe, expect, it } from 'vitest';
import { expireRecent, mergeRecent, pushRecent, trimOldest, type RecentEvent } from '../../src/profile/recent-events.js';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const event = (id: string, timestampMs: number): ProfileEventInput => ({ id, name: 'v', timestampMs, properties: { id } });

function recentOf(events: ProfileEventInput[], cap = 100): RecentEvent[] {
  const list: RecentEvent[] = [];
  for (const e of events) pushRecent(list, e, cap);
  return list;
}
const ids = (list: RecentEvent[]) => list.map((e) => e.id);

describe('pushRecent', () => {
  it('stores id, name, time and properties, newest last', () => {
    const list = recentOf([event('a', T0), event('b', T0 + 1)]);
    expect(list).toEqual([{ id: 'a', name: 'v', t: T0, properties: { id: 'a' } }, { id: 'b', name: 'v', t: T0 + 1, properties: { id: 'b' } }]);
  });

  it('inserts an out-of-order event by its time', () => {
    expect(ids(recentOf([event('a', T0), event('c', T0 + 20), event('b', T0 + 10)]))).toEqual(['a', 'b', 'c']);
  });

  it('orders events at the same time by id', () => {
    expect(ids(recentOf([event('b', T0), event('a', T0), event('c', T0)]))).toEqual(['a', 'b', 'c']);
  });

  it('ignores an event it already holds', () => {
    expect(ids(recentOf([event('a', T0), event('b', T0 + 1), event('a', T0), event('b', T0 + 1)]))).toEqual(['a', 'b']);
  });

  it('drops the oldest events beyond the cap', () => {
    expect(ids(recentOf([event('a', T0), event('b', T0 + 1), event('c', T0 + 2), event('old', T0 - 1)], 2))).toEqual(['b', 'c']);
  });
});

describe('trimOldest', () => {
  it('removes and returns the oldest entries once the list is over cap + slack', () => {
    const list = [1, 2, 3, 4, 5];
    expect(trimOldest(list, 3, 2)).toEqual([]);
    expect(list).toEqual([1, 2, 3, 4, 5]);
    list.push(6);
    expect(trimOldest(list, 3, 2)).toEqual([1, 2, 3]);
    expect(list).toEqual([4, 5, 6]);
  });

  it('allows an eighth of the cap as slack by default', () => {
    const list = Array.from({ length: 18 }, (_, i) => i);
    expect(trimOldest(list, 16)).toEqual([]);
    list.push(18);
    expect(trimOldest(list, 16)).toEqual([0, 1, 2]);
    expect(list).toHaveLength(16);
  });
});

describe('pushRecent caps', () => {
  it('holds between cap and cap + cap/8 events, the newest ones', () => {
    const list: RecentEvent[] = [];
    const lengths = new Set<number>();
    for (let i = 0; i < 100; i++) {
      pushRecent(list, event(`e${String(i).padStart(3, '0')}`, T0 + i), 16);
      if (i >= 16) lengths.add(list.length);
    }
    expect(Math.min(...lengths)).toBe(16);
    expect(Math.max(...lengths)).toBe(18);
    expect(list[list.length - 1]!.id).toBe('e099');
    expect(ids(list)).toEqual(ids(list).slice().sort());
  });
});

describe('expireRecent', () => {
  it('drops events older than the time to live', () => {
    const list = recentOf([event('a', T0), event('b', T0 + DAY), event('c', T0 + 2 * DAY)]);
    expireRecent(list, T0 + 31 * DAY, 30 * DAY);
    expect(ids(list)).toEqual(['b', 'c']);
  });

  it('keeps an event exactly the time to live old', () => {
    const list = recentOf([event('a', T0)]);
    expireRecent(list, T0 + DAY, DAY);
    expect(ids(list)).toEqual(['a']);
    expireRecent(list, T0 + DAY + 1, DAY);
    expect(list).toEqual([]);
  });
});

describe('mergeRecent', () => {
  it('interleaves both lists by time, each id once', () => {
    const a = recentOf([event('a', T0), event('c', T0 + 2), event('d', T0 + 3)]);
    const b = recentOf([event('b', T0 + 1), event('c', T0 + 2)]);
    expect(ids(mergeRecent(a, b, 10))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the newest cap events', () => {
    const a = recentOf([event('a', T0), event('c', T0 + 2)]);
    const b = recentOf([event('b', T0 + 1)]);
    expect(ids(mergeRecent(a, b, 2))).toEqual(['b', 'c']);
    expect(mergeRecent(a, b, 0)).toEqual([]);
  });

  it('leaves its inputs unchanged', () => {
    const a = recentOf([event('b', T0 + 1)]);
    const b = recentOf([event('a', T0)]);
    mergeRecent(a, b, 10).pop();
    expect([ids(a), ids(b)]).toEqual([['b'], ['a']]);
  });
});
