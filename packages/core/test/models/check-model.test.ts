import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBundle } from '../../src/bundle/check-bundle.js';
import type { BundleTree } from '../../src/bundle/schema.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { AttuneError } from '../../src/errors.js';
import { compileModel } from '../../src/models/compile-model.js';
import { MAX_FEATURES, MAX_NODES, MAX_TREES } from '../../src/models/limits.js';
import { mutatedBundle } from '../bundle/arbitrary-bundle.js';
import { rawBundle } from '../decide/decide-support.js';
import { thrownAttuneError } from '../support.js';
import { logisticModel, treeModel } from './small-models.js';

const { compile } = compileBundle(validateBundle(rawBundle([])));

/** The message compileModel rejects `model` with (model-invalid). */
function rejection(model: unknown): string {
  const error = thrownAttuneError(() => compileModel(model, compile));
  expect(error.code).toBe('model-invalid');
  return error.message;
}

/** The tree model with its first tree's node arrays changed. */
const withTree = (fields: Partial<BundleTree>) => treeModel({ trees: [{ ...treeModel().trees[0]!, ...fields }] });

/** A full tree of `depth` levels (2^depth - 1 nodes) on feature 0. */
function fullTree(depth: number): BundleTree {
  const size = 2 ** depth - 1;
  const inner = (i: number) => 2 * i + 1 < size;
  return {
    feature: Array.from({ length: size }, () => 0),
    value: Array.from({ length: size }, (_, i) => i),
    left: Array.from({ length: size }, (_, i) => (inner(i) ? 2 * i + 1 : -1)),
    right: Array.from({ length: size }, (_, i) => (inner(i) ? 2 * i + 2 : -1)),
    defaultLeft: Array.from({ length: size }, () => 0),
  };
}

describe('a model with bad data is rejected with a message that says what to fix', () => {
  it('names a logistic model whose weights do not match its features', () => {
    expect(rejection(logisticModel({ weights: [1, 2, 3] }))).toBe(
      'The model "buy-propensity" cannot be used. Fix: weights: 3 weights for 2 features; give one weight per feature, in the features\' order',
    );
  });

  it('names NaN and Infinity weights and thresholds where they are', () => {
    expect(rejection(logisticModel({ weights: [1, Number.NaN] }))).toContain('weights[1]: invalid type (expected number)');
    expect(rejection(withTree({ value: [Infinity, 0.5, 1.5] }))).toContain('trees[0].value[0]: invalid type (expected number)');
    // validateBundle (zod, as `attune validate` runs it) also says which value it got.
    expect(thrownAttuneError(() => validateBundle(rawBundle([], { models: [logisticModel({ intercept: -Infinity })] }))).message).toContain(
      'models[0].intercept: invalid type (expected number, got -Infinity)',
    );
  });

  it('names a threshold or leaf that single precision (XGBoost\'s) cannot hold', () => {
    expect(rejection(withTree({ value: [1e39, 0.5, 1.5] }))).toContain('trees[0]: node 0: value 1e+39 is beyond single precision (±3.4e38)');
    expect(rejection(treeModel({ baseMargin: -1e40 }))).toContain('baseMargin -1e+40 is beyond single precision');
  });

  it('names a child index outside the tree, not a whole number, or a leaf with one child', () => {
    const message = rejection(withTree({ left: [1, -1, -1], right: [3, -1, 0.5] }));
    expect(message).toContain('trees[0]: node 0: right 3 is not a node of this tree (0 to 2, or -1 for a leaf)');
    expect(message).toContain('trees[0]: node 2: left is -1 (a leaf) but right is 0.5; give -1 for both, or two children');
    expect(rejection(withTree({ left: [1.5, -1, -1] }))).toContain('node 0: left 1.5 is not a node of this tree');
  });

  it('names a cycle in a tree', () => {
    // Node 2 sends values back to the root.
    const cycle = { feature: [0, 0, 0, 0], value: [1, 0, 2, 0], left: [1, -1, 0, -1], right: [2, -1, 3, -1], defaultLeft: [0, 0, 0, 0] };
    expect(rejection(treeModel({ trees: [cycle] }))).toContain(
      'trees[0]: node 0 is reached twice from the root (a cycle, or a node with two parents); each node but the root has one parent',
    );
  });

  it('names a node that two parents share, and a node that is its own child', () => {
    expect(rejection(withTree({ right: [1, -1, -1] }))).toContain('trees[0]: node 1 is reached twice from the root');
    const self = { feature: [0, 0], value: [1, 0], left: [0, -1], right: [1, -1], defaultLeft: [0, 0] };
    expect(rejection(treeModel({ trees: [self] }))).toContain('trees[0]: node 0 is reached twice from the root');
  });

  it('names node arrays of different lengths, an empty tree, a split on a feature the model does not have, and a defaultLeft that is not 0 or 1', () => {
    expect(rejection(withTree({ right: [2, -1] }))).toContain('trees[0]: feature, value, left, right, defaultLeft must have one entry per node (lengths 3, 3, 3, 2, 3)');
    expect(rejection(treeModel({ trees: [{ feature: [], value: [], left: [], right: [], defaultLeft: [] }] }))).toContain('trees[0]: has no nodes; give at least a leaf');
    expect(rejection(withTree({ feature: [2, 0, 0] }))).toContain("trees[0]: node 0: feature 2 is not one of the model's 2 features (0 to 1)");
    expect(rejection(withTree({ defaultLeft: [2, 0, 0] }))).toContain('trees[0]: node 0: defaultLeft 2 must be 1 (a missing value goes left) or 0 (right)');
  });

  it('names an unknown model type and an unknown link', () => {
    expect(rejection({ ...logisticModel(), type: 'forest' })).toContain('type: invalid value (expected "logistic" or "tree-ensemble")');
    expect(rejection(treeModel({ link: 'probit' }))).toContain('link: invalid value (expected "logistic" or "identity")');
  });

  it('names features of the same name and a scale of 0', () => {
    const features = [
      { name: 'views', from: 'context.a' },
      { name: 'views', from: 'context.b', scale: 0 },
    ];
    const message = rejection(logisticModel({ features }));
    expect(message).toContain('features[1] ("views"): the name is used twice; each feature needs its own');
    expect(message).toContain('features[1] ("views"): scale is 0; standardization divides by it');
  });

  it('refuses models over the documented caps on trees, nodes and features', () => {
    const leaf = { feature: [0], value: [0], left: [-1], right: [-1], defaultLeft: [0] };
    expect(rejection(treeModel({ trees: Array.from({ length: MAX_TREES + 1 }, () => leaf) }))).toContain(`trees: ${MAX_TREES + 1} trees, over the limit of ${MAX_TREES}`);
    const big = fullTree(12);
    const trees = Array.from({ length: Math.ceil(MAX_NODES / big.left.length) + 1 }, () => big);
    expect(rejection(treeModel({ trees }))).toContain(`trees: over ${MAX_NODES} nodes in all, the limit`);
    const features = Array.from({ length: MAX_FEATURES + 1 }, (_, i) => ({ name: `f${i}`, from: 'context.x' }));
    expect(rejection(logisticModel({ features, weights: features.map(() => 1) }))).toContain(`features: ${MAX_FEATURES + 1} features, over the limit of ${MAX_FEATURES}`);
  });

  it('accepts a model at the caps: a 1,000-tree depth-6 ensemble', () => {
    const trees = Array.from({ length: MAX_TREES }, () => fullTree(7));
    expect(compileModel(treeModel({ trees }), compile).score({})).toBeTypeOf('number');
  });

  it('is not a model at all', () => {
    for (const value of [null, 'model', [], 42]) expect(rejection(value)).toContain('(root): invalid type (expected object)');
  });
});

describe('checkBundle (attune validate) checks a bundle\'s models', () => {
  it('lists every model problem with the model\'s place and id', () => {
    const bundle = rawBundle([], { models: [logisticModel({ weights: [1] }), withTree({ left: [1, -1, 9] })] });
    expect(thrownAttuneError(() => checkBundle(bundle))).toMatchObject({
      code: 'bundle-invalid',
      message: expect.stringMatching(/models\[0\] \("buy-propensity"\): weights: 1 weights for 2 features.*; models\[1\] \("spend"\): trees\[0\]: node 2: right is -1 \(a leaf\) but left is 9/),
    });
  });

  it('rejects a feature rule that does not compile, naming the model and the feature', () => {
    const bundle = rawBundle([], { models: [logisticModel({ features: [{ name: 'views', from: { cout: 'product_view' } }, { name: 'vip', from: true }] })] });
    expect(thrownAttuneError(() => checkBundle(bundle))).toMatchObject({ code: 'bundle-rule-invalid', message: expect.stringContaining('model "buy-propensity" features[0] ("views")') });
  });

  it('accepts a bundle whose models are usable', () => {
    expect(checkBundle(rawBundle([], { models: [logisticModel(), treeModel()] })).models).toHaveLength(2);
  });
});

describe('model checks never crash', () => {
  const models = (value: unknown): unknown[] => {
    const list = (value as { models?: unknown } | null)?.models;
    return Array.isArray(list) ? list : [];
  };

  it('compileModel throws nothing but AttuneError on any changed model, and scores what it accepts', () => {
    fc.assert(
      fc.property(mutatedBundle, (bundle) => {
        for (const model of models(bundle)) {
          try {
            expect(compileModel(model, compile).score({ context: {}, profile: {} })).toBeTypeOf('number');
          } catch (error) {
            expect(error).toBeInstanceOf(AttuneError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('checkBundle throws nothing but AttuneError on any changed bundle', () => {
    fc.assert(
      fc.property(mutatedBundle, (bundle) => {
        try {
          checkBundle(bundle);
        } catch (error) {
          expect(error).toBeInstanceOf(AttuneError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
