import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { affinityScores } from '../../src/profile/affinities.js';
import { countWithin, DAY_RETENTION_MS } from '../../src/profile/event-aggregate.js';
import { itemIds } from '../../src/profile/item-lists.js';
import {
  DEFAULT_PROFILE_RULES,
  applyEvent,
  compactProfileData,
  emptyProfileData,
  mergeProfileData,
  type ProfileData,
  type ProfileEventInput,
  type ProfileRules,
} from '../../src/profile/profile-data.js';
import { createProfileState } from '../../src/profile/profile-state.js';
import { DAY, HOUR, MIN, profileOf, T0 } from './profile-support.js';

/*
 * Property-based tests of the profile aggregate: the same set of events, applied in any order,
 * gives the same counts (lifetime and windowed), first / last times, purchases, affinity scores,
 * recent items and recent events; applying an event again (same id) changes nothing; merging two
 * histories equals applying both. What depends on arrival order by design is checked against its
 * documented rule instead: visits (a session seen only between two others is taken as one of them),
 * the counts kept in capped item lists (an item dropped and seen again starts afresh), which
 * affinity values a full dimension keeps, and the arrival order of `seen`.
 */

const RULES = DEFAULT_PROFILE_RULES;
/**
 * Windows across the three bucket tiers and their limits, and the lifetime. A longer window is
 * approximate (it counts what the day buckets still hold): see the last test.
 */
const WINDOWS = [0, 1, 30 * MIN, 3 * HOUR, 3 * HOUR + 1, DAY, 7 * DAY, 8 * DAY, 30 * DAY, 400 * DAY, Infinity];

/** Event times: bursts (same or close instants), hours, days, and beyond every tier's retention. */
const offset = fc.oneof(
  fc.constantFrom(0, 1, -1, 59_999, 60_000),
  fc.integer({ min: -3 * HOUR, max: 0 }),
  fc.integer({ min: -10 * DAY, max: 0 }),
  fc.integer({ min: -500 * DAY, max: 0 }),
);
/** Names include prototype members: they are counted like any other name ("__proto__" is not kept). */
const eventName = fc.constantFrom('page_view', 'product_viewed', 'add_to_cart', 'purchase', 'Order Completed', 'constructor', 'toString', '__proto__', 'é');
/** Values that normalize alike ("Shoes", " shoes ") and prototype members. */
const affinityValue = fc.constantFrom('Shoes', ' shoes ', 'SHOES', 'bags', 'hats', 'constructor', '__proto__', 'toString', 7, '', 'x'.repeat(101));
const productId = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'constructor', 42, '');
/** Revenues, some with fractions of a cent (a price with tax: 215.506), some refunds, some as text. */
const revenue = fc.oneof(
  fc.integer({ min: -5_000, max: 100_000 }).map((cents) => cents / 100),
  fc.integer({ min: -50_000, max: 1_000_000 }).map((mills) => mills / 1000),
  fc.constantFrom('12.50', ' 3 ', '0.005', 'abc', null),
);

const properties = fc.record(
  {
    category: affinityValue,
    brand: affinityValue,
    tags: fc.array(affinityValue, { maxLength: 3 }),
    product_id: productId,
    sku: productId,
    revenue,
    total: revenue,
    products: fc.array(fc.record({ product_id: productId }, { requiredKeys: [] }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** Sessions are contiguous spans of time: session i covers [T0 - (i + 1) * 10 days, T0 - i * 10 days). */
const SESSION_SPAN = 10 * DAY;
const sessionAt = (t: number): string => `s${Math.floor((T0 - t) / SESSION_SPAN)}`;

/** A set of events with distinct ids (UUIDv7-like: ids grow with their index, not their time). */
const events = fc.array(fc.tuple(eventName, offset, properties, fc.boolean()), { minLength: 1, maxLength: 40 }).map((list) =>
  list.map(([name, off, props, withSession], i): ProfileEventInput => {
    const timestampMs = T0 + off;
    return { id: `019ab1c2-${String(i).padStart(4, '0')}`, name, timestampMs, properties: props, ...(withSession ? { sessionId: sessionAt(timestampMs) } : {}) };
  }),
);
/** A set of events, the same events in another order, and a time not before any of them. */
const reordered = events.chain((list) =>
  fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), fc.integer({ min: 0, max: 2 * DAY })).map(([a, b, after]) => ({
    a,
    b,
    now: Math.max(...list.map((e) => e.timestampMs)) + after,
  })),
);

/** What rules and subscribers see, but visits, scores and their ranking (compared apart). */
function snapshotOf(list: readonly ProfileEventInput[], now: number) {
  const state = createProfileState(RULES, (error) => {
    throw error;
  });
  for (const event of list) state.apply(event);
  const { visits: _visits, affinities: _affinities, top: _top, ...rest } = state.get(now);
  return rest;
}

/** What must not depend on the order of events, as of `now`: aggregates are compared once both dropped what has aged out. */
function orderFree(data: ProfileData, now: number, rules: ProfileRules = RULES) {
  const windowed = Object.fromEntries(Object.entries(data.events).map(([name, agg]) => [name, WINDOWS.map((w) => countWithin(agg, w, now))]));
  const compacted = structuredClone(data);
  compactProfileData(compacted, now, rules);
  return {
    windowed,
    events: compacted.events,
    purchases: compacted.purchases,
    viewed: itemIds(compacted.viewed),
    purchased: itemIds(compacted.purchased),
    recent: compacted.recent,
    seen: [...compacted.seen].sort(),
  };
}

/** Affinity scores as of `now`, equal up to the rounding of sums taken in another order. */
function expectSameScores(a: ProfileData, b: ProfileData, now: number): void {
  const x = affinityScores(a.affinities, RULES.affinities, now);
  const y = affinityScores(b.affinities, RULES.affinities, now);
  expect(Object.keys(y).sort()).toEqual(Object.keys(x).sort());
  for (const dimension of Object.keys(x)) {
    expect(Object.keys(y[dimension]!).sort()).toEqual(Object.keys(x[dimension]!).sort());
    for (const [value, score] of Object.entries(x[dimension]!)) expect(Math.abs(y[dimension]![value]! - score)).toBeLessThanOrEqual(1e-4 + 1e-9 * score);
  }
}

const distinctSessions = (list: readonly ProfileEventInput[]): number => new Set(list.flatMap((e) => (e.sessionId ? [e.sessionId] : []))).size;
const byTime = (list: readonly ProfileEventInput[]) => [...list].sort((x, y) => x.timestampMs - y.timestampMs);

const same = (actual: unknown, expected: unknown): void => deepStrictEqual(actual, expected);

// Generous timeouts: the machine may be busy; fast-check stops generating before them.
describe('profile aggregation properties', { timeout: 30_000 }, () => {
  it('gives the same counts, windowed counts, first/last times, purchases, items, recent events and affinities whatever the order of the events', () => {
    fc.assert(
      fc.property(reordered, ({ a, b, now }) => {
        const x = profileOf(a);
        const y = profileOf(b);
        same(orderFree(y, now), orderFree(x, now));
        same(snapshotOf(b, now), snapshotOf(a, now));
        // With fewer items than a list keeps, the lists are equal down to their counts.
        same(y.viewed, x.viewed);
        same(y.purchased, x.purchased);
        expectSameScores(x, y, now);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('counts an event applied again (same id) once, wherever the copy comes', () => {
    fc.assert(
      fc.property(events, fc.array(fc.tuple(fc.nat(), fc.nat())), (list, copies) => {
        // Each copy comes some time after its original.
        const withCopies: ProfileEventInput[] = [...list];
        for (const [which, where] of copies) {
          const original = list[which % list.length]!;
          const from = withCopies.indexOf(original) + 1;
          withCopies.splice(from + (where % (withCopies.length - from + 1)), 0, { ...original, properties: { ...original.properties } });
        }
        const data = emptyProfileData();
        const applied = withCopies.map((event) => applyEvent(data, event, RULES));
        expect(applied.filter(Boolean)).toHaveLength(list.length);
        same(data, profileOf(list));
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('merges two histories into what applying all their events gives, in either order', () => {
    fc.assert(
      fc.property(reordered, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), ({ a, now }, side) => {
        const left = a.filter((_, i) => side[i]);
        const right = a.filter((_, i) => !side[i]);
        const merged = mergeProfileData(profileOf(left), profileOf(right), RULES);
        const swapped = mergeProfileData(profileOf(right), profileOf(left), RULES);
        const whole = profileOf(a);
        same(orderFree(merged, now), orderFree(whole, now));
        same(orderFree(swapped, now), orderFree(whole, now));
        expectSameScores(merged, whole, now);
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('counts every visit when events arrive in time order, and never more than the visits there were otherwise', () => {
    fc.assert(
      fc.property(reordered, ({ a, b }) => {
        const visits = distinctSessions(a);
        expect(profileOf(byTime(a)).sessions.count).toBe(visits);
        const counted = profileOf(b).sessions.count;
        expect(counted).toBeLessThanOrEqual(visits);
        expect(counted > 0).toBe(visits > 0);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('counts at least the last 400 days in a longer window, and nothing from before the day it starts', () => {
    fc.assert(
      fc.property(reordered, fc.integer({ min: DAY_RETENTION_MS + 1, max: 800 * DAY }), ({ b, now }, window) => {
        const data = profileOf(b);
        for (const name of Object.keys(data.events)) {
          const times = b.filter((e) => e.name === name).map((e) => e.timestampMs);
          const dayStart = Math.floor((now - window) / DAY) * DAY;
          const counted = countWithin(data.events[name]!, window, now);
          expect(counted).toBeGreaterThanOrEqual(times.filter((t) => t >= now - DAY_RETENTION_MS).length);
          expect(counted).toBeLessThanOrEqual(times.filter((t) => t >= dayStart).length);
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('keeps the most recently seen items in a capped list, whatever the order (their counts restart when dropped)', () => {
    const rules: ProfileRules = { ...RULES, items: { ...RULES.items, max: 2 }, recentCap: 5 };
    fc.assert(
      fc.property(reordered, ({ a, b, now }) => {
        const x = profileOf(a, rules);
        const y = profileOf(b, rules);
        const [keptX, keptY] = [orderFree(x, now, rules), orderFree(y, now, rules)];
        expect(keptY.viewed).toEqual(keptX.viewed);
        expect(keptY.purchased).toEqual(keptX.purchased);
        expect(keptY.recent).toEqual(keptX.recent);
        expect(x.viewed.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });
});
