import type { BundleModel, BundleModelFeature } from '../bundle/schema.js';
import type { Report } from '../shape-check.js';
import { checkSingle, checkTree } from './check-tree.js';
import { MAX_FEATURES, MAX_NODES, MAX_TREES } from './limits.js';

function checkFeatures(features: readonly BundleModelFeature[], report: Report): void {
  if (features.length > MAX_FEATURES) report(`features: ${features.length} features, over the limit of ${MAX_FEATURES}`);
  const names = new Set<string>();
  features.forEach((feature, i) => {
    const at = `features[${i}] ("${feature.name}")`;
    if (names.has(feature.name)) report(`${at}: the name is used twice; each feature needs its own`);
    names.add(feature.name);
    if (feature.scale === 0) report(`${at}: scale is 0; standardization divides by it (a constant feature has scale 1)`);
  });
}

/**
 * What a `models[]` entry's schema cannot say, as `path: problem` lines (empty when the model can
 * be used): one weight per feature, unique feature names, a usable scale, trees that are trees
 * over the model's features with single-precision numbers, and the size caps of limits.ts. The
 * entry must have the schema's shape (which holds every number finite).
 */
export function modelProblems(model: BundleModel): string[] {
  const problems: string[] = [];
  const report: Report = (problem) => void problems.push(problem);
  checkFeatures(model.features, report);
  const features = model.features.length;
  if (model.type === 'logistic') {
    if (model.weights.length !== features) report(`weights: ${model.weights.length} weights for ${features} features; give one weight per feature, in the features' order`);
  } else {
    checkSingle(model.baseMargin, 'baseMargin', report);
    if (model.trees.length > MAX_TREES) report(`trees: ${model.trees.length} trees, over the limit of ${MAX_TREES}`);
    let nodes = 0;
    // Past the caps, stop: a huge model is reported once, not node by node.
    for (let t = 0; t < model.trees.length && t < MAX_TREES && nodes <= MAX_NODES; t++) nodes += checkTree(model.trees[t]!, features, `trees[${t}]`, report);
    if (nodes > MAX_NODES) report(`trees: over ${MAX_NODES} nodes in all, the limit`);
  }
  return problems;
}
