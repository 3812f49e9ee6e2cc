import type { BundleLogisticModel } from '../bundle/schema.js';

/** A logistic regression ready to score: its weights in a typed array. */
export interface PackedLogistic {
  readonly weights: Float64Array;
  readonly intercept: number;
}

export const sigmoid = (margin: number): number => 1 / (1 + Math.exp(-margin));

export const packLogistic = (model: BundleLogisticModel): PackedLogistic => ({ weights: Float64Array.from(model.weights), intercept: model.intercept });

/**
 * sigmoid(intercept + Σ weights[i] · x[i]): scikit-learn's `predict_proba(X)[:, 1]` for a binary
 * LogisticRegression. A missing feature (NaN) adds nothing: after standardization that is the
 * feature at its mean.
 */
export function scoreLogistic(model: PackedLogistic, x: ArrayLike<number>): number {
  const weights = model.weights;
  let margin = model.intercept;
  for (let i = 0; i < weights.length; i++) {
    const value = x[i]!;
    if (value === value) margin += weights[i]! * value;
  }
  return sigmoid(margin);
}
