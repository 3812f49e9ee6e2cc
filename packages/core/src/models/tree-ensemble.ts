import type { BundleTreeEnsembleModel } from '../bundle/schema.js';
import { sigmoid } from './logistic.js';

/**
 * A tree ensemble ready to score: every tree's nodes packed into typed arrays (a leaf's feature is
 * -1), in single precision where XGBoost uses it.
 */
export interface PackedTreeEnsemble {
  /** Where each tree's root is in the node arrays. */
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  /** A split's threshold, a leaf's value. */
  readonly value: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly defaultLeft: Uint8Array;
  readonly baseMargin: number;
  readonly logistic: boolean;
  /** The features of the score being computed, in single precision. */
  readonly x: Float32Array;
}

/** Packs a model whose trees passed modelProblems (children in range, no cycles). */
export function packTreeEnsemble(model: BundleTreeEnsembleModel): PackedTreeEnsemble {
  const size = model.trees.reduce((sum, tree) => sum + tree.left.length, 0);
  const packed = {
    roots: new Int32Array(model.trees.length),
    feature: new Int32Array(size),
    value: new Float32Array(size),
    left: new Int32Array(size),
    right: new Int32Array(size),
    defaultLeft: new Uint8Array(size),
    baseMargin: Math.fround(model.baseMargin),
    logistic: model.link === 'logistic',
    x: new Float32Array(model.features.length),
  };
  let offset = 0;
  model.trees.forEach((tree, t) => {
    packed.roots[t] = offset;
    tree.left.forEach((left, i) => {
      const at = offset + i;
      const leaf = left === -1;
      packed.feature[at] = leaf ? -1 : tree.feature[i]!;
      packed.value[at] = tree.value[i]!;
      packed.left[at] = offset + left;
      packed.right[at] = offset + tree.right[i]!;
      packed.defaultLeft[at] = tree.defaultLeft[i]!;
    });
    offset += tree.left.length;
  });
  return packed;
}

/**
 * The ensemble's prediction with XGBoost's semantics: features, thresholds and leaves in single
 * precision; at each split `x < threshold` goes left, a missing value (NaN) the node's default
 * way; the leaves are added in single precision to the base margin, tree by tree, then the link
 * (sigmoid for binary:logistic) applies. So it equals XGBoost's `predict` (and `predict_proba`).
 */
export function scoreTreeEnsemble(model: PackedTreeEnsemble, x: ArrayLike<number>): number {
  const { roots, feature, value, left, right, defaultLeft } = model;
  const xs = model.x;
  for (let i = 0; i < xs.length; i++) xs[i] = x[i]!;
  let margin = model.baseMargin;
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t]!;
    let f: number;
    while ((f = feature[node]!) >= 0) {
      const v = xs[f]!;
      const threshold = value[node]!;
      // NaN is neither below nor at or above the threshold.
      node = v < threshold ? left[node]! : v >= threshold ? right[node]! : defaultLeft[node] ? left[node]! : right[node]!;
    }
    margin = Math.fround(margin + value[node]!);
  }
  return model.logistic ? sigmoid(margin) : margin;
}
