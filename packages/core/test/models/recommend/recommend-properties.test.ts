import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BundleCatalogItem } from '../../../src/bundle/schema.js';
import { DEFAULT_BLEND } from '../../../src/models/recommend/compile-recommender.js';
import { recommend, type RecommendOptions } from '../../../src/models/recommend/recommend.js';
import { compiledRecommender } from './recommenders.js';

/*
 * Properties of recommend over random catalogs, recommenders, profiles and options, and its lists
 * against a naive reference: docs/models.md "Recommendations" computed item by item, sorted in full.
 */

const CATEGORIES = ['shoes', 'socks', 'hats'];
const TAGS = ['trail', 'sun', 'rain'];

const catalog = fc.integer({ min: 0, max: 25 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `i${i}`);
  return fc.tuple(
    ...ids.map((id) =>
      fc.record(
        {
          id: fc.constant(id),
          category: fc.constantFrom(...CATEGORIES),
          tags: fc.subarray(TAGS),
          price: fc.integer({ min: 0, max: 200 }),
          available: fc.boolean(),
          popularity: fc.integer({ min: 0, max: 5 }),
          // Few distinct scores: ties are frequent.
          neighbors: fc.subarray(ids.filter((other) => other !== id), { maxLength: Math.min(5, n - 1) }).chain((others) => fc.tuple(...others.map(() => fc.constantFrom(0, 0.25, 0.5, 1))).map((scores) => Object.fromEntries(others.map((other, i) => [other, scores[i]!])))),
        },
        { requiredKeys: ['id'] },
      ),
    ),
  );
});

const entry = catalog.chain((items) =>
  fc.record(
    {
      id: fc.constant('r'),
      items: fc.constant(items as BundleCatalogItem[]),
      blend: fc.record({ neighbors: fc.constantFrom(0, 0.5, 1), category: fc.constantFrom(0, 0.5, 1), tag: fc.constantFrom(0, 0.5, 1), popularity: fc.constantFrom(0, 0.5, 1) }).filter((b) => b.neighbors + b.category + b.tag + b.popularity > 0),
      recentViews: fc.integer({ min: 1, max: 5 }),
      exclude: fc.record({ purchased: fc.boolean(), viewed: fc.boolean(), unavailable: fc.boolean() }, { requiredKeys: [] }),
      rule: fc.integer({ min: 0, max: 200 }).map((max) => ({ '<=': [{ var: 'item.price' }, max] })),
      perCategory: fc.integer({ min: 1, max: 3 }),
      limit: fc.integer({ min: 1, max: 10 }),
    },
    { requiredKeys: ['id', 'items'] },
  ),
);

const ids = fc.uniqueArray(fc.constantFrom(...Array.from({ length: 26 }, (_, i) => `i${i}`), 'unknown'), { maxLength: 8 });
const scores = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(-1, 0, 1, 2, 5), { maxKeys: 3 });
const profile = fc.record({ viewed: ids, purchased: ids, affinities: fc.record({ category: scores(CATEGORIES), tag: scores(TAGS) }, { requiredKeys: [] }) });
const options = fc.record({ limit: fc.integer({ min: 0, max: 12 }), exclude: ids }, { requiredKeys: [] });

type Entry = typeof entry extends fc.Arbitrary<infer T> ? T : never;
type Profile = typeof profile extends fc.Arbitrary<infer T> ? T : never;

/** The visitor's share of `value` in a dimension (0..1), as documented. */
function share(scores: Record<string, number> | undefined, value: string | undefined): number {
  const top = Math.max(0, ...Object.values(scores ?? {}));
  const score = value === undefined ? undefined : scores?.[value];
  return top > 0 && score !== undefined && score > 0 ? Math.min(score, top) / top : 0;
}

/** The list docs/models.md "Recommendations" describes, computed naively. */
function reference(recommender: Entry, visitor: Profile, given: RecommendOptions): { id: string; score: number }[] {
  const items = recommender.items;
  const weights = recommender.blend ?? DEFAULT_BLEND;
  const byId = new Map(items.map((item) => [item.id, item]));
  const sums = new Map<string, number>();
  visitor.viewed
    .filter((id) => byId.has(id))
    .slice(0, recommender.recentViews ?? 5)
    .forEach((id, r) => {
      for (const [other, score] of Object.entries(byId.get(id)!.neighbors ?? {})) sums.set(other, (sums.get(other) ?? 0) + score * (1 / (r + 1)));
    });
  const topSum = Math.max(0, ...sums.values());
  const topPopularity = Math.max(0, ...items.map((item) => item.popularity ?? 0));
  const exclude = { purchased: true, viewed: false, unavailable: true, ...recommender.exclude };
  const excluded = new Set([...(exclude.purchased ? visitor.purchased : []), ...(exclude.viewed ? visitor.viewed : []), ...(given.exclude ?? [])]);
  const scored = items
    .map((item, index) => {
      const neighbors = weights.neighbors * (topSum > 0 ? (sums.get(item.id) ?? 0) / topSum : 0);
      const category = weights.category * share(visitor.affinities.category, item.category);
      const tag = weights.tag * Math.max(0, ...(item.tags ?? []).map((t) => share(visitor.affinities.tag, t)));
      const popularity = weights.popularity * (topPopularity > 0 ? (item.popularity ?? 0) / topPopularity : 0);
      return { item, index, score: neighbors + category + tag + popularity };
    })
    .filter(({ item }) => !excluded.has(item.id) && !(exclude.unavailable && item.available === false))
    .sort((a, b) => b.score - a.score || (b.item.popularity ?? 0) - (a.item.popularity ?? 0) || a.index - b.index);
  const limit = Math.min(100, given.limit ?? recommender.limit ?? 10);
  const perCategory = new Map<string, number>();
  const out: { id: string; score: number }[] = [];
  for (const { item, score } of scored) {
    if (out.length >= limit) break;
    if (recommender.rule && !((item.price ?? 0) <= (recommender.rule['<='][1] as number))) continue;
    // Items without a category are not limited.
    const taken = item.category === undefined ? 0 : (perCategory.get(item.category) ?? 0);
    if (taken >= (recommender.perCategory ?? Infinity)) continue;
    if (item.category !== undefined) perCategory.set(item.category, taken + 1);
    out.push({ id: item.id, score });
  }
  return out;
}

const RUNS = { numRuns: 300 };

describe('recommend, for any catalog, recommender, profile and options', () => {
  it('lists what the documented ranking lists, in its order, with its scores', () => {
    fc.assert(
      fc.property(entry, profile, options, (recommender, visitor, given) => {
        const list = recommend(compiledRecommender(recommender), visitor, given);
        const expected = reference(recommender, visitor, given);
        expect(list.items.map((item) => item.id)).toEqual(expected.map((item) => item.id));
        list.items.forEach((item, i) => expect(item.score).toBeCloseTo(expected[i]!.score, 12));
      }),
      RUNS,
    );
  });

  it('never lists more than the limit, an excluded item, an item the rule refuses, or more than perCategory of a category', () => {
    fc.assert(
      fc.property(entry, profile, options, (recommender, visitor, given) => {
        const list = recommend(compiledRecommender(recommender), visitor, given);
        expect(list.items.length).toBeLessThanOrEqual(given.limit ?? recommender.limit ?? 10);
        const exclude = { purchased: true, viewed: false, unavailable: true, ...recommender.exclude };
        const counts = new Map<string, number>();
        for (const { id, item } of list.items) {
          if (exclude.purchased) expect(visitor.purchased).not.toContain(id);
          if (exclude.viewed) expect(visitor.viewed).not.toContain(id);
          if (exclude.unavailable) expect(item.available).not.toBe(false);
          expect(given.exclude ?? []).not.toContain(id);
          // A missing price reads as null, which JSON Logic compares as 0.
          if (recommender.rule) expect(item.price ?? 0).toBeLessThanOrEqual(recommender.rule['<='][1] as number);
          if (item.category !== undefined) counts.set(item.category, (counts.get(item.category) ?? 0) + 1);
        }
        for (const count of counts.values()) expect(count).toBeLessThanOrEqual(recommender.perCategory ?? Infinity);
      }),
      RUNS,
    );
  });

  it('gives the same list every time, from the same or a fresh compilation, its scores the sums of their why, highest first', () => {
    fc.assert(
      fc.property(entry, profile, profile, options, (recommender, visitor, other, given) => {
        const compiled = compiledRecommender(recommender);
        const list = recommend(compiled, visitor, given);
        recommend(compiled, other, given);
        expect(recommend(compiled, visitor, given)).toEqual(list);
        expect(recommend(compiledRecommender(recommender), visitor, given)).toEqual(list);
        list.items.forEach((item, i) => {
          expect(item.score).toBe(item.why.neighbors + item.why.category + item.why.tag + item.why.popularity);
          if (i > 0) expect(item.score).toBeLessThanOrEqual(list.items[i - 1]!.score);
        });
      }),
      RUNS,
    );
  });
});
