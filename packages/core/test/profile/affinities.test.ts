import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AFFINITY_RULES,
  DEFAULT_HALF_LIFE_MS,
  affinityScores,
  applyAffinities,
  mergeAffinities,
  topAffinities,
  type AffinityRule,
  type AffinityScores,
} from '../../src/profile/affinities.js';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';
import { prng } from '../../../../bench/prng.mjs';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const HALF = DEFAULT_HALF_LIFE_MS;
let n = 0;
const event = (name: string, properties: Record<string, unknown>, timestampMs = T0): ProfileEventInput => ({ id: `e${++n}`, name, timestampMs, properties });

function scored(events: ProfileEventInput[], rules: readonly AffinityRule[] = DEFAULT_AFFINITY_RULES): AffinityScores {
  const scores: AffinityScores = {};
  for (const e of events) applyAffinities(scores, e, rules);
  return scores;
}

describe('applyAffinities', () => {
  it('scores category, brand and tags with the default rules', () => {
    const scores = scored([event('product_viewed', { category: 'Shoes', brand: 'Acme', tags: ['sale', 'summer'] })]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0)).toEqual({
      category: { shoes: 1 },
      brand: { acme: 1 },
      tag: { sale: 1, summer: 1 },
    });
  });

  it('weighs purchases 5 and add-to-cart 3 by default', () => {
    const scores = scored([event('purchase', { category: 'a' }), event('add_to_cart', { category: 'b' }), event('Order Completed', { category: 'c' })]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).category).toEqual({ a: 5, b: 3, c: 5 });
  });

  it('uses the "*" weight for other names, and 1 without one', () => {
    const rules: AffinityRule[] = [{ dimension: 'c', property: 'c', weights: { buy: 4, '*': 2 } }, { dimension: 'd', property: 'c', weights: { buy: 4 } }];
    const scores = scored([event('view', { c: 'x' }), event('buy', { c: 'y' })], rules);
    expect(affinityScores(scores, rules, T0)).toEqual({ c: { x: 2, y: 4 }, d: { x: 1, y: 4 } });
  });

  it('does not read weights inherited from Object.prototype', () => {
    const scores = scored([event('constructor', { category: 'x' })]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).category).toEqual({ x: 1 });
  });

  it('scores only the listed events when a rule has events', () => {
    const rules: AffinityRule[] = [{ dimension: 'c', property: 'c', events: ['view'] }];
    const scores = scored([event('view', { c: 'x' }), event('click', { c: 'y' })], rules);
    expect(affinityScores(scores, rules, T0)).toEqual({ c: { x: 1 } });
  });

  it('trims and lower-cases values, stringifies finite numbers and sums repeats', () => {
    const scores = scored([event('v', { category: '  Shoes ' }), event('v', { category: 'SHOES' }), event('v', { category: 42 })]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).category).toEqual({ shoes: 2, '42': 1 });
  });

  it('ignores empty, over-long, non-finite and non-scalar values', () => {
    const scores = scored([event('v', { tags: ['', '   ', 'x'.repeat(101), NaN, Infinity, null, true, { a: 1 }, ['nested'], 'ok', 'y'.repeat(100)] })]);
    expect(Object.keys(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).tag!)).toEqual(['ok', 'y'.repeat(100)]);
  });

  it('creates no dimension for an event without the property', () => {
    expect(scored([event('v', { other: 'x' })])).toEqual({});
  });

  it('stores values named like Object.prototype members, "__proto__" included, as plain keys of a map with no prototype', () => {
    const scores = scored([event('v', { tags: ['constructor', 'toString', '__proto__', 'constructor'] })]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).tag).toEqual(JSON.parse('{"constructor": 2, "tostring": 1, "__proto__": 1}'));
    expect(Object.getPrototypeOf(scores.tag)).toBeNull();
    expect(Object.getPrototypeOf(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).tag)).toBeNull();
  });

  it('halves a score after one half-life', () => {
    const scores = scored([event('purchase', { category: 'x' })]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0 + HALF).category).toEqual({ x: 2.5 });
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0 + 2 * HALF).category).toEqual({ x: 1.25 });
  });

  it('decays the stored score to the event time before adding', () => {
    const scores = scored([event('purchase', { category: 'x' }, T0), event('view', { category: 'x' }, T0 + HALF)]);
    expect(scores.category!.x).toEqual([3.5, T0 + HALF]);
  });

  it('adds an out-of-order event decayed to the stored time, so arrival order does not matter', () => {
    const events = [event('purchase', { category: 'x' }, T0), event('view', { category: 'x' }, T0 + HALF), event('add_to_cart', { category: 'x' }, T0 + 3 * DAY)];
    const inOrder = scored(events);
    const shuffled = scored([events[1]!, events[2]!, events[0]!]);
    expect(shuffled.category!.x![1]).toBe(T0 + HALF);
    expect(shuffled.category!.x![0]).toBeCloseTo(inOrder.category!.x![0], 12);
  });

  it('honours a rule half-life, and Infinity for no decay', () => {
    const rules: AffinityRule[] = [{ dimension: 'fast', property: 'c', halfLifeMs: DAY }, { dimension: 'never', property: 'c', halfLifeMs: Infinity }];
    const scores = scored([event('v', { c: 'x' })], rules);
    expect(affinityScores(scores, rules, T0 + 3 * DAY)).toEqual({ fast: { x: 0.125 }, never: { x: 1 } });
  });

  it('does not grow a score read before its time (clock skew)', () => {
    const scores = scored([event('v', { category: 'x' }, T0 + DAY)]);
    expect(affinityScores(scores, DEFAULT_AFFINITY_RULES, T0).category).toEqual({ x: 1 });
  });

  it('keeps at most max values, dropping the lowest current score', () => {
    const rules: AffinityRule[] = [{ dimension: 'c', property: 'c', max: 3, weights: { big: 10 } }];
    const scores = scored([event('big', { c: 'a' }), event('v', { c: 'b' }), event('big', { c: 'c' }), event('v', { c: 'd' }, T0 + 1)], rules);
    expect(Object.keys(scores.c!).sort()).toEqual(['a', 'c', 'd']);
  });

  it('never drops the value just added, so a new interest can enter a full dimension', () => {
    const rules: AffinityRule[] = [{ dimension: 'c', property: 'c', max: 2 }];
    const scores = scored([event('v', { c: ['a', 'a', 'a', 'b', 'b'] }), event('v', { c: 'new' }, T0 + 1)], rules);
    expect(Object.keys(scores.c!).sort()).toEqual(['a', 'new']);
  });
});

describe('topAffinities', () => {
  const scores = scored([
    event('v', { category: ['b', 'a', 'c', 'c'] }, T0),
    event('purchase', { category: 'old' }, T0 - 4 * HALF),
  ]);

  it('lists the highest current scores first, ties by value name', () => {
    expect(topAffinities(scores, 'category', 10, T0, DEFAULT_AFFINITY_RULES)).toEqual(['c', 'a', 'b', 'old']);
  });

  it('returns at most n values', () => {
    expect(topAffinities(scores, 'category', 2, T0, DEFAULT_AFFINITY_RULES)).toEqual(['c', 'a']);
    expect(topAffinities(scores, 'category', 0, T0, DEFAULT_AFFINITY_RULES)).toEqual([]);
    expect(topAffinities(scores, 'category', -1, T0, DEFAULT_AFFINITY_RULES)).toEqual([]);
  });

  it('ranks by the score decayed to now', () => {
    const recent = scored([event('purchase', { category: 'old' }, T0 - 3 * HALF), event('v', { category: 'new' }, T0)]);
    expect(topAffinities(recent, 'category', 2, T0 - 3 * HALF, DEFAULT_AFFINITY_RULES)).toEqual(['old', 'new']);
    expect(topAffinities(recent, 'category', 2, T0, DEFAULT_AFFINITY_RULES)).toEqual(['new', 'old']);
  });

  it('is empty for an unknown dimension', () => {
    expect(topAffinities(scores, 'constructor', 3, T0, DEFAULT_AFFINITY_RULES)).toEqual([]);
  });
});

describe('mergeAffinities', () => {
  it('equals scoring both event streams into one', () => {
    const random = prng(5);
    const a: ProfileEventInput[] = [];
    const b: ProfileEventInput[] = [];
    const names = ['v', 'purchase', 'add_to_cart'];
    for (let i = 0; i < 300; i++) {
      const e = event(names[Math.floor(random() * 3)]!, { category: `c${Math.floor(random() * 8)}`, tags: [`t${Math.floor(random() * 5)}`] }, T0 + Math.floor(random() * 90 * DAY));
      (random() < 0.5 ? a : b).push(e);
    }
    const merged = affinityScores(mergeAffinities(scored(a), scored(b), DEFAULT_AFFINITY_RULES), DEFAULT_AFFINITY_RULES, T0 + 100 * DAY);
    const both = affinityScores(scored([...a, ...b]), DEFAULT_AFFINITY_RULES, T0 + 100 * DAY);
    expect(Object.keys(merged)).toEqual(Object.keys(both));
    for (const [dim, values] of Object.entries(both)) {
      expect(Object.keys(merged[dim]!).sort()).toEqual(Object.keys(values).sort());
      for (const [value, score] of Object.entries(values)) expect(merged[dim]![value]).toBeCloseTo(score, 3);
    }
  });

  it('decays both sides to the later time before summing', () => {
    const merged = mergeAffinities({ c: { x: [4, T0] } }, { c: { x: [1, T0 + HALF], y: [1, T0] } }, DEFAULT_AFFINITY_RULES);
    expect(merged).toEqual({ c: { x: [3, T0 + HALF], y: [1, T0] } });
  });

  it('caps each dimension at its rule max, keeping the highest scores as of the newest time', () => {
    const rules: AffinityRule[] = [{ dimension: 'c', property: 'c', max: 2 }];
    // At T0 + HALF: a 0.5, b 1.5, c 2, d 2.5.
    const merged = mergeAffinities({ c: { a: [1, T0], b: [3, T0] } }, { c: { c: [2, T0 + HALF], d: [5, T0] } }, rules);
    expect(Object.keys(merged.c!).sort()).toEqual(['c', 'd']);
  });

  it('leaves its inputs unchanged and shares no entry with them', () => {
    const a: AffinityScores = { c: { x: [1, T0] } };
    const b: AffinityScores = { c: { x: [1, T0 + DAY] }, d: { y: [2, T0] } };
    const before = structuredClone([a, b]);
    const merged = mergeAffinities(a, b, DEFAULT_AFFINITY_RULES);
    merged.d!.y![0] = 99;
    expect([a, b]).toEqual(before);
  });
});
