import type { BundleCatalogItem } from '../../../src/bundle/schema.js';
import { validateBundle } from '../../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../../src/decide/compile-standalone.js';
import { compileRecommender, type CompiledRecommender } from '../../../src/models/recommend/compile-recommender.js';

/** A bundle holding `entry` (checked by validateBundle), its recommender compiled through the bundle's compile path. */
export function compiledRecommender(entry: Record<string, unknown>, items?: readonly BundleCatalogItem[]): CompiledRecommender {
  const bundle = validateBundle({ schema: 'attune.bundle/1', id: 'shop', version: 1, experiences: [], content: {}, recommenders: [entry] });
  return compileRecommender(bundle.recommenders![0]!, compileBundle(bundle).compile, items);
}

/**
 * A small shop: a → b (0.8), c (0.2); b → a (0.8); c → d (0.5). Categories shoes (a, c), socks
 * (b, e), hats (d); popularity 100, 50, 10, 0, 200.
 */
export const SHOP: BundleCatalogItem[] = [
  { id: 'a', category: 'shoes', tags: ['trail'], price: 90, popularity: 100, neighbors: { b: 0.8, c: 0.2 }, content: { title: 'Trail runner' } },
  { id: 'b', category: 'socks', tags: ['trail'], price: 12, popularity: 50, neighbors: { a: 0.8 } },
  { id: 'c', category: 'shoes', price: 120, popularity: 10, neighbors: { d: 0.5 } },
  { id: 'd', category: 'hats', tags: ['sun'], price: 25, popularity: 0 },
  { id: 'e', category: 'socks', price: 9, popularity: 200 },
];
