import { describe, expect, it } from 'vitest';
import { packLogistic, scoreLogistic, sigmoid } from '../../src/models/logistic.js';
import { packTreeEnsemble, scoreTreeEnsemble } from '../../src/models/tree-ensemble.js';
import { logisticModel, treeModel } from './small-models.js';

const logistic = packLogistic(logisticModel());
const trees = packTreeEnsemble(treeModel());

/** One split on feature 0 at `threshold`: 1 to the left, 2 to the right; a missing value goes `missing`. */
const oneSplit = (threshold: number, missing: 'left' | 'right') =>
  packTreeEnsemble(
    treeModel({
      features: [{ name: 'x', from: 'context.x' }],
      trees: [{ feature: [0, 0, 0], value: [threshold, 1, 2], left: [1, -1, -1], right: [2, -1, -1], defaultLeft: [missing === 'left' ? 1 : 0, 0, 0] }],
    }),
  );

describe('scoreLogistic', () => {
  it('is the sigmoid of the intercept plus each weight times its feature', () => {
    expect(scoreLogistic(logistic, [0.5, 1])).toBe(sigmoid(-1 + 0.5 * 0.5 + 2 * 1));
    expect(sigmoid(0)).toBe(0.5);
  });

  it('counts a missing feature at its mean: it adds nothing to the margin', () => {
    expect(scoreLogistic(logistic, [Number.NaN, 1])).toBe(sigmoid(-1 + 2));
  });

  it('stays a probability for margins far beyond the exponential\'s range', () => {
    expect(scoreLogistic(logistic, [1e6, 0])).toBe(1);
    expect(scoreLogistic(logistic, [-1e6, 0])).toBe(0);
  });
});

describe('scoreTreeEnsemble', () => {
  it('adds one leaf per tree to the base margin (identity link)', () => {
    // monetary 50 < 100 → 0.5; age 40 >= 30 → 0.25.
    expect(scoreTreeEnsemble(trees, [50, 40])).toBe(0.75);
    expect(scoreTreeEnsemble(packTreeEnsemble(treeModel({ baseMargin: 2 })), [50, 40])).toBe(2.75);
  });

  it('applies the sigmoid to the margin with the logistic link', () => {
    expect(scoreTreeEnsemble(packTreeEnsemble(treeModel({ link: 'logistic', baseMargin: -1 })), [150, 20])).toBe(sigmoid(-1 + 1.5 - 1));
  });

  it('sends a value below the threshold left and a value at the threshold right, as XGBoost\'s x < threshold', () => {
    const model = oneSplit(3, 'left');
    expect(scoreTreeEnsemble(model, [2.999])).toBe(1);
    expect(scoreTreeEnsemble(model, [3])).toBe(2);
  });

  it('sends a missing value the node\'s default way', () => {
    expect(scoreTreeEnsemble(oneSplit(3, 'left'), [Number.NaN])).toBe(1);
    expect(scoreTreeEnsemble(oneSplit(3, 'right'), [Number.NaN])).toBe(2);
    // The small model's trees: a missing monetary goes right (1.5), a missing age left (-1).
    expect(scoreTreeEnsemble(trees, [Number.NaN, Number.NaN])).toBe(0.5);
  });

  it('compares in single precision, as XGBoost reads features: 0.1 is not below a threshold of 0.1', () => {
    // In double precision 0.1 < Math.fround(0.1) (0.10000000149...); XGBoost rounds both to floats.
    expect(0.1 < Math.fround(0.1)).toBe(true);
    expect(scoreTreeEnsemble(oneSplit(0.1, 'left'), [0.1])).toBe(2);
  });

  it('walks deep trees without recursion and gives the same score every time', () => {
    const depth = 5_000;
    const size = 2 * depth + 1;
    // A chain: node 2i splits to a leaf (2i + 1) or the next split (2i + 2); always go right.
    const tree = { feature: [] as number[], value: [] as number[], left: [] as number[], right: [] as number[], defaultLeft: [] as number[] };
    for (let i = 0; i < size; i++) {
      const split = i % 2 === 0 && i < size - 1;
      tree.feature.push(0);
      tree.value.push(split ? -1 : i === size - 1 ? 7 : 0);
      tree.left.push(split ? i + 1 : -1);
      tree.right.push(split ? i + 2 : -1);
      tree.defaultLeft.push(0);
    }
    const model = packTreeEnsemble(treeModel({ features: [{ name: 'x', from: 'context.x' }], trees: [tree] }));
    expect(scoreTreeEnsemble(model, [0])).toBe(7);
    expect(scoreTreeEnsemble(model, [0])).toBe(7);
  });
});
