import { describe, expect, it } from 'vitest';
import type { CompileRead } from '../../../src/models/read-features.js';
import { compileRecommender } from '../../../src/models/recommend/compile-recommender.js';
import { recommend } from '../../../src/models/recommend/recommend.js';
import { compiledRecommender, SHOP } from './recommenders.js';

const ids = (list: { items: readonly { id: string }[] }): string[] => list.items.map((item) => item.id);

/** Viewed a then c; likes shoes (4) over socks (2), sun (3) over trail (1). */
const BROWSER = {
  viewed: ['a', 'c'],
  purchased: [],
  affinities: { category: { shoes: 4, socks: 2 }, tag: { trail: 1, sun: 3 } },
};

describe('recommend', () => {
  it('lists the most popular items for a visitor with an empty profile: the popular fallback', () => {
    const list = recommend(compiledRecommender({ id: 'r', items: SHOP }), { viewed: [], purchased: [], affinities: {} });
    expect(list.fallback).toBe(true);
    expect(ids(list)).toEqual(['e', 'a', 'b', 'c', 'd']);
    expect(list.items[0]).toMatchObject({ id: 'e', score: 0.1, because: 'popularity', why: { neighbors: 0, category: 0, tag: 0, popularity: 0.1 } });
    expect(list.items[1]!.score).toBeCloseTo(0.05, 12);
  });

  it('blends neighbors of recent views, category and tag affinities and popularity with the default weights (known answer)', () => {
    // Neighbors: from a (the latest view, 1/1) b 0.8, c 0.2; from c (1/2) d 0.25; over the top 0.8.
    // Category over 4: shoes 1, socks 0.5. Tag over 3: trail 1/3, sun 1. Popularity over 200.
    // Weights 1, 0.5, 0.25, 0.1.
    const list = recommend(compiledRecommender({ id: 'r', items: SHOP }), BROWSER);
    expect(list.fallback).toBe(false);
    expect(ids(list)).toEqual(['b', 'c', 'a', 'd', 'e']);
    const [b, c, a, d, e] = list.items;
    expect(b!.score).toBeCloseTo(1 + 0.25 + 0.25 / 3 + 0.025, 12);
    expect(c!.score).toBeCloseTo(0.25 + 0.5 + 0.005, 12);
    expect(a!.score).toBeCloseTo(0.5 + 0.25 / 3 + 0.05, 12);
    expect(d!.score).toBeCloseTo(0.3125 + 0.25, 12);
    expect(e!.score).toBeCloseTo(0.25 + 0.1, 12);
    expect(b).toMatchObject({ because: 'neighbors', seed: 'a' });
    expect(d).toMatchObject({ because: 'neighbors', seed: 'c', why: { neighbors: 0.3125, category: 0, tag: 0.25, popularity: 0 } });
    expect(a).toMatchObject({ because: 'category' });
    expect(a).not.toHaveProperty('seed');
    for (const item of list.items) expect(item.score).toBe(item.why.neighbors + item.why.category + item.why.tag + item.why.popularity);
  });

  it('weighs signals by the blend, a weight left out being 0', () => {
    const list = recommend(compiledRecommender({ id: 'r', items: SHOP, blend: { tag: 1 } }), BROWSER);
    // d (sun: 1) first, then the trail items by popularity, then the rest by popularity.
    expect(ids(list)).toEqual(['d', 'a', 'b', 'e', 'c']);
    expect(list.items[0]!.score).toBe(1);
  });

  it('counts only the recentViews most recent views that are in the catalog', () => {
    const compiled = compiledRecommender({ id: 'r', items: SHOP, blend: { neighbors: 1 }, recentViews: 1 });
    const list = recommend(compiled, { viewed: ['unknown', 'c', 'a'] });
    // Only c seeds: d is its one neighbor.
    expect(list.items[0]).toMatchObject({ id: 'd', score: 1, seed: 'c' });
    expect(list.items[1]!.score).toBe(0);
  });

  it('matches categories and tags to affinities as the profile keeps them: trimmed and lower-cased', () => {
    const items = [
      { id: 'x', category: ' Shoes ', popularity: 1 },
      { id: 'y', category: 'Hats', popularity: 2 },
    ];
    const list = recommend(compiledRecommender({ id: 'r', items, blend: { category: 1 } }), { affinities: { category: { shoes: 3 } } });
    expect(ids(list)).toEqual(['x', 'y']);
    expect(list.items[0]!.why.category).toBe(1);
  });

  it('never recommends what the visitor bought, nor unavailable items, by default', () => {
    const items = SHOP.map((item) => (item.id === 'c' ? { ...item, available: false } : item));
    const list = recommend(compiledRecommender({ id: 'r', items }), { ...BROWSER, purchased: ['b'] });
    expect(ids(list)).toEqual(['a', 'd', 'e']);
  });

  it('recommends bought and unavailable items when told to, and leaves out viewed ones when told to', () => {
    const items = SHOP.map((item) => (item.id === 'c' ? { ...item, available: false } : item));
    const exclude = { purchased: false, unavailable: false, viewed: true };
    expect(ids(recommend(compiledRecommender({ id: 'r', items, exclude }), { ...BROWSER, purchased: ['b'] }))).toEqual(['b', 'd', 'e']);
  });

  it('leaves out the ids the caller excludes (the item on the page)', () => {
    expect(ids(recommend(compiledRecommender({ id: 'r', items: SHOP }), BROWSER, { exclude: ['b', 'e', 'nope'] }))).toEqual(['c', 'a', 'd']);
  });

  it('keeps only items the rule accepts, the rule reading the item, the context and the profile', () => {
    const rule = { and: [{ '<=': [{ var: 'item.price' }, { var: 'context.budget' }] }, { '!': { in: [{ var: 'item.id' }, { var: 'profile.viewed' }] } }] };
    const list = recommend(compiledRecommender({ id: 'r', items: SHOP, rule }), BROWSER, { context: { budget: 30 } });
    expect(ids(list)).toEqual(['b', 'd', 'e']);
  });

  it('leaves out an item whose rule throws, and lists the others', () => {
    const compile: CompileRead = () => (data) => {
      if ((data as { item: { id: string } }).item.id === 'b') throw new Error('boom');
      return true;
    };
    const compiled = compileRecommender({ id: 'r', items: SHOP, rule: { custom: [] } }, compile);
    expect(ids(recommend(compiled, BROWSER))).toEqual(['c', 'a', 'd', 'e']);
  });

  it('lists at most perCategory items of one category, taking the next best instead', () => {
    const items = [...SHOP, { id: 'f', popularity: 5 }, { id: 'g', popularity: 4 }];
    const list = recommend(compiledRecommender({ id: 'r', items, perCategory: 1, blend: { popularity: 1 } }), {});
    // e (socks) and a (shoes) take their categories; b and c wait; d is the only hat; items without a category are not limited.
    expect(ids(list)).toEqual(['e', 'a', 'f', 'g', 'd']);
  });

  it('lists the recommender\'s limit by default, the caller\'s when given, and at most 100', () => {
    const items = Array.from({ length: 150 }, (_, i) => ({ id: `i${i}`, popularity: i }));
    const compiled = compiledRecommender({ id: 'r', items, limit: 3 });
    expect(ids(recommend(compiled, {}))).toEqual(['i149', 'i148', 'i147']);
    expect(recommend(compiled, {}, { limit: 7 }).items).toHaveLength(7);
    expect(recommend(compiled, {}, { limit: 1000 }).items).toHaveLength(100);
    expect(recommend(compiled, {}, { limit: 0 }).items).toEqual([]);
    expect(recommend(compiledRecommender({ id: 'r', items }), {}).items).toHaveLength(10);
  });

  it('breaks ties by popularity, then by catalog order', () => {
    const items = [
      { id: 'p', popularity: 1 },
      { id: 'q', popularity: 2 },
      { id: 'r', popularity: 2 },
      { id: 's', popularity: 1 },
    ];
    expect(ids(recommend(compiledRecommender({ id: 'r', items, blend: { neighbors: 1 } }), {}))).toEqual(['q', 'r', 'p', 's']);
  });

  it('gives the same list for the same profile, call after call', () => {
    const compiled = compiledRecommender({ id: 'r', items: SHOP });
    const first = recommend(compiled, BROWSER);
    recommend(compiled, { viewed: ['b'] });
    expect(recommend(compiled, BROWSER)).toEqual(first);
  });

  it('never throws on a profile or options from outside, and reads no inherited key', () => {
    const compiled = compiledRecommender({ id: 'r', items: [{ id: 'constructor', category: 'toString', popularity: 1 }, ...SHOP] });
    const odd = [null, undefined, 'x', 42, { viewed: 'a', purchased: {}, affinities: 'x' }, { affinities: { category: { toString: 'x', shoes: Infinity, socks: -3 }, tag: null } }, { viewed: [1, null, {}, 'a'] }];
    for (const profile of odd) expect(() => recommend(compiled, profile as never, { limit: Number.NaN, exclude: 'a' as never })).not.toThrow();
    expect(recommend(compiled, { affinities: {} }).fallback).toBe(true);
    expect(recommend(compiled, { affinities: { category: { shoes: -1 } } }).fallback).toBe(true);
  });

  it('hands out frozen catalog items', () => {
    const list = recommend(compiledRecommender({ id: 'r', items: SHOP }), {});
    expect(Object.isFrozen(list.items[0]!.item)).toBe(true);
    expect(list.items.find((item) => item.id === 'a')!.item.content).toEqual({ title: 'Trail runner' });
  });
});
