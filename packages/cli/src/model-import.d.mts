// Types of model-import.mjs, for the TypeScript tests that import it.
import type { BundleLogisticModel, BundleModelFeature, BundleTreeEnsembleModel } from '@attune/core';

export interface Imported<Model> {
  model: Model;
  warnings: string[];
}
export function declareFeatures(names: readonly string[], mapping: unknown): BundleModelFeature[];
export function fromXgboost(document: unknown, mapping: unknown, id: string): Imported<BundleTreeEnsembleModel>;
export function fromSklearn(document: unknown, mapping: unknown, id: string): Imported<BundleLogisticModel>;
