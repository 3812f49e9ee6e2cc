import { describe, expect, it } from 'vitest';
import { checkBundle } from '../../../src/bundle/check-bundle.js';
import type { BundleRecommender } from '../../../src/bundle/schema.js';
import { EMPTY_RULE_HOST } from '../../../src/rules/attune-operators.js';
import { compileRecommender } from '../../../src/models/recommend/compile-recommender.js';
import { recommenderProblems } from '../../../src/models/recommend/check-recommender.js';
import { MAX_ITEMS, MAX_NEIGHBORS } from '../../../src/models/recommend/limits.js';
import { compileBundle } from '../../../src/decide/compile-standalone.js';
import { validateBundle } from '../../../src/bundle/validate-bundle.js';
import { shopBundle } from '../../fixtures.js';
import { thrownAttuneError } from '../../support.js';
import { SHOP } from './recommenders.js';

const compile = compileBundle(validateBundle(shopBundle()), EMPTY_RULE_HOST).compile;
const problems = (entry: Partial<BundleRecommender>): string[] => recommenderProblems({ id: 'r', ...entry });

describe('recommenderProblems', () => {
  it('accepts a usable recommender', () => {
    expect(problems({ items: SHOP, blend: { neighbors: 1 }, recentViews: 50, perCategory: 2, limit: 100 })).toEqual([]);
    expect(problems({ catalog: { url: '/c.json', sha256: '0123456789abcdef'.repeat(4) } })).toEqual([]);
  });

  it('wants a catalog inline or by reference, not both and not neither, and a hash of 64 lowercase hex digits', () => {
    const both = problems({ items: SHOP, catalog: { url: '/c.json', sha256: 'AB'.repeat(32) } });
    expect(both).toContain('give items (the catalog) or catalog (its file), not both');
    expect(both).toContain('catalog.sha256: give the SHA-256 of the file as 64 lowercase hex digits (sha256sum catalog.json)');
    expect(problems({})).toContain('give items (the catalog) or catalog (its file), not both');
  });

  it('names neighbors that are not in the catalog or are the item itself, and ids used twice', () => {
    const items = [...SHOP, { id: 'f', neighbors: { ghost: 1, f: 0.5, a: 0.1 } }, { id: 'a' }];
    expect(problems({ items })).toEqual([
      'items[6]: id "a" is used twice in the catalog',
      'items[5] ("f"): neighbor "ghost" is not in the catalog',
      'items[5] ("f"): lists itself as a neighbor',
    ]);
  });

  it('names a catalog over its size cap once, without checking each item', () => {
    const items = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ id: `i${i}`, neighbors: { ghost: 1 } }));
    expect(problems({ items })).toEqual([`items: ${MAX_ITEMS + 1} items, over the limit of ${MAX_ITEMS}`]);
  });

  it('names items over their caps of tags, neighbors and content', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_NEIGHBORS + 1 }, (_, i) => [`n${i}`, 1]));
    const items = [
      { id: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`), content: { title: 'x'.repeat(2001) } },
      { id: 'y', neighbors: many, content: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, ''])) },
      ...Object.keys(many).map((id) => ({ id })),
    ];
    expect(problems({ items })).toEqual([
      'items[0] ("x"): 21 tags, over the limit of 20',
      'items[0] ("x"): content.title has 2001 characters, over the limit of 2000',
      'items[1] ("y"): 101 neighbors, over the limit of 100; keep the most similar',
      'items[1] ("y"): 21 content fields, over the limit of 20',
    ]);
  });

  it('lists the first 20 problems of a catalog, then how many more', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, neighbors: { ghost: 1 } }));
    const found = problems({ items });
    expect(found).toHaveLength(21);
    expect(found[20]).toBe('items: 10 more problems');
  });

  it('names a blend whose weights are all 0, and counts that are not whole or over their caps', () => {
    expect(problems({ items: SHOP, blend: { neighbors: 0 }, recentViews: 51, perCategory: 1.5, limit: 101 })).toEqual([
      'blend: the weights are all 0; give at least one above 0',
      'recentViews: 51 is over the limit of 50',
      'perCategory: 1.5 is not a whole number',
      'limit: 101 is over the limit of 100',
    ]);
  });
});

describe('compileRecommender', () => {
  it('refuses an entry that cannot be used with recommender-invalid, naming each problem', () => {
    const { code, message } = thrownAttuneError(() => compileRecommender({ id: 'r', items: [{ id: 'a', neighbors: { b: 1 } }], blend: { tag: 0 } }, compile));
    expect(code).toBe('recommender-invalid');
    expect(message).toBe('The recommender "r" cannot be used. Fix: items[0] ("a"): neighbor "b" is not in the catalog; blend: the weights are all 0; give at least one above 0');
  });

  it('needs the items of a catalog file for an entry that references one', () => {
    const entry = { id: 'r', catalog: { url: '/c.json', sha256: 'ab'.repeat(32) } };
    expect(thrownAttuneError(() => compileRecommender(entry, compile)).message).toContain('catalog: give its items (verifyCatalog of the fetched file)');
    expect(compileRecommender(entry, compile, SHOP).items).toHaveLength(5);
  });

  it('compiles the rule through the bundle\'s compile path, naming the recommender when it does not compile', () => {
    expect(thrownAttuneError(() => compileRecommender({ id: 'r', items: SHOP, rule: { nope: [1] } }, compile))).toMatchObject({
      code: 'bundle-rule-invalid',
      message: expect.stringContaining('recommender "r" rule: '),
    });
  });
});

/** The shop bundle, its first experience a bandit with `allocation`. */
function withBandit(allocation: Record<string, unknown>, overrides: Record<string, unknown>) {
  const [first, ...rest] = shopBundle().experiences;
  return shopBundle({ ...overrides, experiences: [{ ...first, experiment: { id: 'bandit', allocation } }, ...rest] });
}

describe('checkBundle', () => {
  it('rejects a bundle naming each problem of its recommenders and bandits, with where they are', () => {
    const bundle = withBandit({ type: 'thompson', reward: 'purchase', posteriors: { ghost: { alpha: 1, beta: 1 } } }, { recommenders: [{ id: 'also', items: [{ id: 'a', neighbors: { z: 1 } }] }] });
    const { code, message } = thrownAttuneError(() => checkBundle(bundle));
    expect(code).toBe('bundle-invalid');
    expect(message).toContain('recommenders[0] ("also"): items[0] ("a"): neighbor "z" is not in the catalog');
    expect(message).toContain(`experiences[0] ("${bundle.experiences[0]!.id}"): allocation.posteriors["ghost"]: "ghost" is not an arm`);
  });

  it('rejects a recommender rule that does not compile', () => {
    const bundle = shopBundle({ recommenders: [{ id: 'also', items: SHOP, rule: { nope: 1 } }] });
    expect(thrownAttuneError(() => checkBundle(bundle))).toMatchObject({ code: 'bundle-rule-invalid', message: expect.stringContaining('recommender "also" rule') });
  });

  it('accepts a bundle with a usable recommender and bandit', () => {
    const bundle = withBandit({ type: 'thompson', reward: 'purchase' }, { recommenders: [{ id: 'also', items: SHOP, rule: { '<': [{ var: 'item.price' }, 100] } }] });
    expect(checkBundle(bundle).recommenders).toHaveLength(1);
  });
});
