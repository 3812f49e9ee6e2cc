import type { BundleCatalogItem, BundleRecommender } from '../../bundle/schema.js';
import { AttuneError } from '../../errors.js';
import type { CompileRead } from '../read-features.js';
import { normalizeValue } from '../../profile/affinities.js';
import { recommenderProblems } from './check-recommender.js';
import { MAX_LIMIT } from './limits.js';

/** The blend when a recommender gives none; with a blend, a weight it leaves out is 0. */
export const DEFAULT_BLEND = { neighbors: 1, category: 0.5, tag: 0.25, popularity: 0.1 } as const;

/** Distinct values (categories, tags) as indices: their normalized key, as the profile keeps affinities. */
interface Values {
  readonly keys: string[];
  readonly index: Map<string, number>;
}

/** A recommender ready to rank: its catalog indexed in typed arrays, its rule compiled. */
export interface CompiledRecommender {
  readonly id: string;
  readonly recommender: BundleRecommender;
  /** The catalog, frozen: lists hand these items out. */
  readonly items: readonly BundleCatalogItem[];
  /** Item id → its position in `items`. */
  readonly index: ReadonlyMap<string, number>;
  /** Item i's neighbors are `neighborItem[neighborStart[i] … neighborStart[i + 1] - 1]`, with their scores. */
  readonly neighborStart: Int32Array;
  readonly neighborItem: Int32Array;
  readonly neighborScore: Float64Array;
  /** Item i's category (an index into `categories`), -1 for none. */
  readonly category: Int32Array;
  readonly categories: readonly string[];
  /** Item i's tags are `tagOf[tagStart[i] … tagStart[i + 1] - 1]` (indices into `tags`). */
  readonly tagStart: Int32Array;
  readonly tagOf: Int32Array;
  readonly tags: readonly string[];
  /** Popularity scaled to 0..1 (divided by the catalog's highest). */
  readonly popularity: Float64Array;
  readonly available: Uint8Array;
  readonly weights: { readonly neighbors: number; readonly category: number; readonly tag: number; readonly popularity: number };
  readonly recentViews: number;
  readonly perCategory: number;
  readonly limit: number;
  readonly exclude: { readonly purchased: boolean; readonly viewed: boolean; readonly unavailable: boolean };
  /** The recommender's rule over `{ item, context, profile }`, compiled; undefined for none. */
  readonly rule: ((data: unknown) => unknown) | undefined;
}

function valueIndex(values: Values, value: string): number {
  const key = normalizeValue(value) ?? value;
  let i = values.index.get(key);
  if (i === undefined) values.index.set(key, (i = values.keys.push(key) - 1));
  return i;
}

function freeze(item: BundleCatalogItem): BundleCatalogItem {
  for (const part of [item.tags, item.neighbors, item.content]) if (part) Object.freeze(part);
  return Object.freeze(item);
}

/**
 * Checks a `recommenders[]` entry of a checked bundle (validateBundle, the device's check: its
 * shape is the bundle's) with recommenderProblems, indexes its catalog and compiles its rule with
 * `compile` once. For an entry whose catalog is a file, `items` are that file's, as verifyCatalog
 * returns them. Throws AttuneError `recommender-invalid` listing every problem; a rule that does
 * not compile throws what `compile` throws.
 */
export function compileRecommender(entry: BundleRecommender, compile: CompileRead, items?: readonly BundleCatalogItem[]): CompiledRecommender {
  const problems = recommenderProblems(entry);
  if (problems.length === 0 && entry.catalog && !items) problems.push('catalog: give its items (verifyCatalog of the fetched file)');
  if (problems.length > 0) throw new AttuneError('recommender-invalid', `The recommender "${entry.id}" cannot be used. Fix: ${problems.join('; ')}`);
  const catalog = (entry.items ?? items!).map(freeze);
  const n = catalog.length;
  const index = new Map(catalog.map((item, i) => [item.id, i]));
  const categories: Values = { keys: [], index: new Map() };
  const tags: Values = { keys: [], index: new Map() };
  const category = new Int32Array(n);
  const tagStart = new Int32Array(n + 1);
  const tagOf: number[] = [];
  const neighborStart = new Int32Array(n + 1);
  const neighborItem: number[] = [];
  const neighborScore: number[] = [];
  const popularity = new Float64Array(n);
  const available = new Uint8Array(n);
  let topPopularity = 0;
  catalog.forEach((item, i) => {
    category[i] = item.category === undefined ? -1 : valueIndex(categories, item.category);
    for (const tag of item.tags ?? []) tagOf.push(valueIndex(tags, tag));
    tagStart[i + 1] = tagOf.length;
    const neighbors = item.neighbors;
    // Keys, not entries: no pair array per neighbor (10,000 items of 10 neighbors each).
    if (neighbors) {
      for (const id of Object.keys(neighbors)) {
        neighborItem.push(index.get(id)!);
        neighborScore.push(neighbors[id]!);
      }
    }
    neighborStart[i + 1] = neighborItem.length;
    popularity[i] = item.popularity ?? 0;
    topPopularity = Math.max(topPopularity, popularity[i]!);
    available[i] = item.available === false ? 0 : 1;
  });
  // Scaled to 0..1; an overflowing top (1e308 + 1e308) leaves the order by popularity as it is.
  if (topPopularity > 0 && topPopularity < Infinity) for (let i = 0; i < n; i++) popularity[i]! /= topPopularity;
  const blend = entry.blend;
  const exclude = entry.exclude;
  return {
    id: entry.id,
    recommender: entry,
    items: catalog,
    index,
    neighborStart,
    neighborItem: Int32Array.from(neighborItem),
    neighborScore: Float64Array.from(neighborScore),
    category,
    categories: categories.keys,
    tagStart,
    tagOf: Int32Array.from(tagOf),
    tags: tags.keys,
    popularity,
    available,
    weights: blend ? { neighbors: blend.neighbors ?? 0, category: blend.category ?? 0, tag: blend.tag ?? 0, popularity: blend.popularity ?? 0 } : DEFAULT_BLEND,
    recentViews: entry.recentViews ?? 5,
    perCategory: entry.perCategory ?? Infinity,
    limit: Math.min(entry.limit ?? 10, MAX_LIMIT),
    exclude: { purchased: exclude?.purchased ?? true, viewed: exclude?.viewed ?? false, unavailable: exclude?.unavailable ?? true },
    rule: entry.rule === undefined ? undefined : compile(entry.rule, `recommender "${entry.id}" rule`),
  };
}
