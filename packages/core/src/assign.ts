/**
 * @attune/core/assign: experiment assignment on its own (docs/experiments.md "Experiments: assignment"), pure
 * and deterministic, so a server or a batch job reproduces every visitor's variant exactly.
 */
export { assignFactors, assignVariant } from './decide/assign-variant.js';
export type {
  AssignableExperiment,
  AssignableFactor,
  AssignableMultivariate,
  AssignableVariant,
  Assignment,
  FactorAssignment,
} from './decide/assign-variant.js';
export { murmur3_x86_32 } from './decide/murmur3.js';
