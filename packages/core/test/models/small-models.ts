import type { BundleLogisticModel, BundleTreeEnsembleModel } from '../../src/bundle/schema.js';

/*
 * Small valid models for tests: a logistic regression over two features and a two-tree ensemble
 * whose scores are easy to work out by hand.
 */

/** sigmoid(-1 + 0.5 * views + 2 * vip), views standardized as (views - 2) / 4. */
export const logisticModel = (fields: Record<string, unknown> = {}): BundleLogisticModel =>
  ({
    id: 'buy-propensity',
    type: 'logistic',
    features: [
      { name: 'views', from: { count: ['product_view', '7d'] }, default: 0, mean: 2, scale: 4 },
      { name: 'vip', from: { segment: 'vip' } },
    ],
    weights: [0.5, 2],
    intercept: -1,
    ...fields,
  }) as BundleLogisticModel;

/**
 * Tree 0: monetary < 100 → 0.5, else 1.5; a missing monetary goes right (defaultLeft 0).
 * Tree 1: age < 30 → -1, else 0.25; a missing age goes left (defaultLeft 1).
 */
export const treeModel = (fields: Record<string, unknown> = {}): BundleTreeEnsembleModel =>
  ({
    id: 'spend',
    type: 'tree-ensemble',
    features: [
      { name: 'monetary', from: 'profile.rfm.monetary' },
      { name: 'age', from: 'profile.traits.age' },
    ],
    trees: [
      { feature: [0, 0, 0], value: [100, 0.5, 1.5], left: [1, -1, -1], right: [2, -1, -1], defaultLeft: [0, 0, 0] },
      { feature: [1, 0, 0], value: [30, -1, 0.25], left: [1, -1, -1], right: [2, -1, -1], defaultLeft: [1, 0, 0] },
    ],
    baseMargin: 0,
    link: 'identity',
    ...fields,
  }) as BundleTreeEnsembleModel;
