import { describe, expect, it } from 'vitest';
import { affinityScores } from '../../src/profile/affinities.js';
import { countWithin } from '../../src/profile/event-aggregate.js';
import {
  DEFAULT_PROFILE_RULES,
  applyEvent,
  compactProfileData,
  emptyProfileData,
  mergeProfileData,
  type ProfileEventInput,
} from '../../src/profile/profile-data.js';
import { rfm } from '../../src/profile/purchases.js';
import { prng } from '../../../../bench/prng.mjs';
import { DAY, HOUR, MIN, profileOf, T0 } from './profile-support.js';

const RULES = DEFAULT_PROFILE_RULES;

let n = 0;
function event(name: string, properties: Record<string, unknown> = {}, timestampMs = T0, sessionId: string | null = 's1'): ProfileEventInput {
  const e: ProfileEventInput = { id: `e${String(++n).padStart(6, '0')}`, name, timestampMs, properties };
  if (sessionId !== null) e.sessionId = sessionId;
  return e;
}

describe('applyEvent', () => {
  it('updates counts, session, purchases, affinities, items and recent events', () => {
    const view = event('product_viewed', { product_id: 'p1', category: 'Shoes' }, T0);
    const buy = event('purchase', { product_id: 'p1', category: 'Shoes', revenue: 49.9 }, T0 + MIN);
    const data = profileOf([view, buy]);
    expect(Object.keys(data.events)).toEqual(['product_viewed', 'purchase']);
    expect(data.events.purchase!.count).toBe(1);
    expect(data.sessions).toEqual({ count: 1, firstId: 's1', lastId: 's1', first: T0, last: T0 + MIN });
    expect(data.purchases).toEqual({ count: 1, revenue: 49.9, first: T0 + MIN, last: T0 + MIN });
    expect(affinityScores(data.affinities, RULES.affinities, T0 + MIN)).toEqual({ category: { shoes: 6 } });
    expect(data.viewed).toEqual([['p1', T0, 1]]);
    expect(data.purchased).toEqual([['p1', T0 + MIN, 1]]);
    expect(data.recent.map((e) => e.id)).toEqual([view.id, buy.id]);
    expect(data.seen).toEqual([view.id, buy.id]);
  });

  it('applies an event id once, returning false and changing nothing the second time', () => {
    const e = event('purchase', { product_id: 'p', category: 'c', revenue: 5 });
    const data = emptyProfileData();
    expect(applyEvent(data, e, RULES)).toBe(true);
    const before = structuredClone(data);
    expect(applyEvent(data, { ...e }, RULES)).toBe(false);
    expect(data).toEqual(before);
  });

  it('still recognizes applied ids after a structured clone (an IndexedDB round trip)', () => {
    const e = event('page');
    const data = structuredClone(profileOf([e]));
    expect(applyEvent(data, e, RULES)).toBe(false);
    expect(data.events.page!.count).toBe(1);
  });

  it('remembers at most seenIds ids, newest last', () => {
    const rules = { ...RULES, seenIds: 3 };
    const events = [1, 2, 3, 4].map((i) => event('page', {}, T0 + i));
    const data = profileOf(events, rules);
    expect(data.seen).toEqual(events.slice(1).map((e) => e.id));
    expect(applyEvent(data, events[3]!, rules)).toBe(false);
  });

  it('refuses an event whose time is not a finite number', () => {
    const data = emptyProfileData();
    expect(applyEvent(data, event('page', {}, NaN), RULES)).toBe(false);
    expect(data).toEqual(emptyProfileData());
  });

  it('counts a visit for each new session id', () => {
    const data = profileOf([event('page', {}, T0, 'a'), event('page', {}, T0 + 1, 'a'), event('page', {}, T0 + 2, 'b'), event('page', {}, T0 + 3, 'b')]);
    expect(data.sessions).toEqual({ count: 2, firstId: 'a', lastId: 'b', first: T0, last: T0 + 3 });
  });

  it('does not count a late event of an earlier session again', () => {
    const data = profileOf([event('page', {}, T0, 'a'), event('page', {}, T0 + 2, 'b'), event('page', {}, T0 + 1, 'a')]);
    expect(data.sessions).toMatchObject({ count: 2, lastId: 'b', last: T0 + 2 });
  });

  it('counts a late event older than every other as an earlier visit', () => {
    const data = profileOf([event('page', {}, T0, 'b'), event('page', {}, T0 - 1, 'a')]);
    expect(data.sessions).toEqual({ count: 2, firstId: 'a', lastId: 'b', first: T0 - 1, last: T0 });
  });

  it('leaves visits alone for events without a session id', () => {
    expect(profileOf([event('page', {}, T0, null)]).sessions.count).toBe(0);
  });

  it('drops the least recently seen event name beyond maxEventNames, keeping the new one', () => {
    const rules = { ...RULES, maxEventNames: 3 };
    const data = profileOf([event('a', {}, T0 + 1), event('b', {}, T0), event('c', {}, T0 + 2), event('a', {}, T0 + 3), event('d', {}, T0 - 5)], rules);
    expect(Object.keys(data.events).sort()).toEqual(['a', 'c', 'd']);
  });

  it('aggregates names like Object.prototype members, "__proto__" included, as keys of a map with no prototype', () => {
    const data = profileOf([event('constructor'), event('toString'), event('__proto__'), event('__proto__')]);
    expect(Object.keys(data.events)).toEqual(['constructor', 'toString', '__proto__']);
    expect(Object.getPrototypeOf(data.events)).toBeNull();
    expect(data.events['__proto__']?.count).toBe(2);
    expect(data.recent).toHaveLength(4);
  });
});

describe('compactProfileData', () => {
  it('drops expired raw events and buckets but keeps the counts and aggregates', () => {
    const data = profileOf([event('purchase', { category: 'c', revenue: 10, product_id: 'p' }, T0), event('page', {}, T0 + DAY)]);
    const now = T0 + 500 * DAY;
    compactProfileData(data, now, RULES);
    expect(data.recent).toEqual([]);
    expect(data.events.purchase).toEqual({ count: 1, first: T0, last: T0, minutes: [], hours: [], days: [] });
    expect(countWithin(data.events.purchase!, 1000 * DAY, now)).toBe(1);
    expect(rfm(data.purchases, now)).toEqual({ recencyDays: 500, frequency: 1, monetary: 10 });
    expect(data.purchased).toEqual([['p', T0, 1]]);
    expect(Object.keys(data.affinities.category!)).toEqual(['c']);
    expect(data.seen).toHaveLength(2);
  });

  it('trims raw events and remembered ids to their exact caps', () => {
    const rules = { ...RULES, recentCap: 16, seenIds: 16 };
    const events = Array.from({ length: 33 }, (_, i) => event('page', {}, T0 + i));
    const data = profileOf(events, rules);
    expect(data.recent.length).toBeGreaterThan(16);
    compactProfileData(data, T0 + 33, rules);
    expect(data.recent.map((e) => e.id)).toEqual(events.slice(-16).map((e) => e.id));
    expect(data.seen).toEqual(events.slice(-16).map((e) => e.id));
    expect(applyEvent(data, events[32]!, rules)).toBe(false);
    expect(applyEvent(data, events[0]!, rules)).toBe(true);
  });

  it('keeps raw events within the time to live', () => {
    const data = profileOf([event('page', {}, T0), event('page', {}, T0 + 10 * DAY)]);
    compactProfileData(data, T0 + 35 * DAY, RULES);
    expect(data.recent.map((e) => e.t)).toEqual([T0 + 10 * DAY]);
  });
});

describe('mergeProfileData', () => {
  it('counts a session continuing from one history into the other once', () => {
    const a = profileOf([event('page', {}, T0, 'x'), event('page', {}, T0 + 1, 'y')]);
    const b = profileOf([event('page', {}, T0 + 2, 'y'), event('page', {}, T0 + 3, 'z')]);
    expect(mergeProfileData(a, b, RULES).sessions).toEqual({ count: 3, firstId: 'x', lastId: 'z', first: T0, last: T0 + 3 });
    expect(mergeProfileData(b, a, RULES).sessions).toEqual({ count: 3, firstId: 'x', lastId: 'z', first: T0, last: T0 + 3 });
  });

  it('sums the visits of two separate histories', () => {
    const anonymous = profileOf([event('page', {}, T0 + 5, 'p'), event('page', {}, T0 + 6, 'q')]);
    const known = profileOf([event('page', {}, T0, 'k'), event('page', {}, T0 + 9, 'm')]);
    expect(mergeProfileData(anonymous, known, RULES).sessions).toEqual({ count: 4, firstId: 'k', lastId: 'm', first: T0, last: T0 + 9 });
  });

  it('holds an event in both histories once in recent and seen', () => {
    const shared = event('page', {}, T0);
    const a = profileOf([shared, event('page', {}, T0 + 1)]);
    const b = profileOf([shared]);
    const merged = mergeProfileData(a, b, RULES);
    expect(merged.recent.map((e) => e.id)).toEqual(a.recent.map((e) => e.id));
    expect(merged.seen).toEqual(a.seen);
    expect(applyEvent(merged, shared, RULES)).toBe(false);
  });

  it('caps merged ids, raw events and event names', () => {
    const rules = { ...RULES, seenIds: 3, recentCap: 2, maxEventNames: 2 };
    const a = profileOf([event('a', {}, T0), event('b', {}, T0 + 1)], rules);
    const b = profileOf([event('c', {}, T0 + 2), event('d', {}, T0 + 3)], rules);
    const merged = mergeProfileData(a, b, rules);
    expect(merged.seen).toEqual([...a.seen.slice(1), ...b.seen]);
    expect(merged.recent.map((e) => e.name)).toEqual(['c', 'd']);
    expect(Object.keys(merged.events).sort()).toEqual(['c', 'd']);
  });

  it('leaves its inputs unchanged and shares nothing mutable with them', () => {
    const a = profileOf([event('purchase', { category: 'c', product_id: 'p', revenue: 1 }, T0)]);
    const b = profileOf([event('product_viewed', { category: 'c', product_id: 'p' }, T0 + 1)]);
    const before = structuredClone([a, b]);
    const merged = mergeProfileData(a, b, RULES);
    compactProfileData(merged, T0 + 400 * DAY, RULES);
    for (const e of [event('purchase', { category: 'c', product_id: 'p' }, T0 + 2), event('product_viewed', { category: 'c', product_id: 'p' }, T0 + 3)]) applyEvent(merged, e, RULES);
    expect([a, b]).toEqual(before);
  });

  it('equals an empty profile merged with either side', () => {
    const a = profileOf([event('purchase', { category: 'c', product_id: 'p', revenue: 1 }, T0)]);
    expect(mergeProfileData(a, emptyProfileData(), RULES)).toEqual(a);
    expect(mergeProfileData(emptyProfileData(), a, RULES)).toEqual(a);
  });
});

/** A chronological stream of plausible shop events (distinct times; a new session after 30 idle minutes). */
function shopStream(seed: number, count: number): ProfileEventInput[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const names = ['page', 'product_viewed', 'Product Viewed', 'add_to_cart', 'purchase', 'Order Completed', 'search'];
  const events: ProfileEventInput[] = [];
  let t = T0;
  let session = 0;
  for (let i = 0; i < count; i++) {
    const gap = random() < 0.8 ? 1 + Math.floor(random() * 10 * MIN) : random() < 0.7 ? Math.floor(random() * 3 * DAY) : Math.floor(random() * 40 * DAY);
    if (gap > 30 * MIN || i === 0) session++;
    t += Math.max(1, gap);
    const name = pick(names);
    const properties: Record<string, unknown> = { category: pick(['Shoes', 'shoes ', 'Hats', 'Bags', 7, '']), brand: pick(['Acme', 'Zed', undefined]), tags: [pick(['sale', 'new']), pick(['summer', 'winter'])] };
    if (name === 'Order Completed' && random() < 0.7) properties.products = [{ product_id: `p${Math.floor(random() * 8)}` }, { sku: `p${Math.floor(random() * 8)}` }];
    else properties.product_id = `p${Math.floor(random() * 8)}`;
    if (random() < 0.8) properties.revenue = Math.round(random() * 10000) / 100;
    events.push(event(name, properties, t, `s${seed}-${session}`));
  }
  return events;
}

/** merge(a, b) compared with one profile given both streams, after compacting both to `now`. */
function expectMergeEqualsApplyingBoth(a: ProfileEventInput[], b: ProfileEventInput[], now: number, sessions: boolean): void {
  const one = profileOf([...a, ...b]);
  const merged = mergeProfileData(profileOf(a), profileOf(b), RULES);
  compactProfileData(one, now, RULES);
  compactProfileData(merged, now, RULES);
  const { affinities: oneScores, sessions: oneSessions, ...oneRest } = one;
  const { affinities: mergedScores, sessions: mergedSessions, ...mergedRest } = merged;
  expect(mergedRest).toEqual(oneRest);
  if (sessions) expect(mergedSessions).toEqual(oneSessions);
  const expected = affinityScores(oneScores, RULES.affinities, now);
  const actual = affinityScores(mergedScores, RULES.affinities, now);
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [dim, values] of Object.entries(expected)) {
    expect(Object.keys(actual[dim]!).sort()).toEqual(Object.keys(values).sort());
    for (const [value, score] of Object.entries(values)) expect(actual[dim]![value]).toBeCloseTo(score, 3);
  }
}

describe('merge equals applying both event streams to one profile', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('for a history split in two at a random point (seed %i)', (seed) => {
    const events = shopStream(seed, 300);
    const split = Math.floor(prng(seed * 31)() * events.length);
    expectMergeEqualsApplyingBoth(events.slice(0, split), events.slice(split), events[events.length - 1]!.timestampMs + HOUR, true);
  });

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('for two interleaved histories applied one after the other (seed %i)', (seed) => {
    const events = shopStream(seed + 100, 300);
    const random = prng(seed * 17);
    const a: ProfileEventInput[] = [];
    const b: ProfileEventInput[] = [];
    for (const e of events) (random() < 0.5 ? a : b).push(e);
    expectMergeEqualsApplyingBoth(a, b, events[events.length - 1]!.timestampMs + HOUR, false);
  });
});
