import type { CompiledExperiment, DecisionUnits } from './types.js';
import { HOLDOUT } from '../bundle/format.js';
import { ownValue, setOwn, type StickyAssignment } from './decision-state.js';

/** The id an experiment hashes for this visitor (empty or missing: not in the experiment). */
export const unitOf = (experiment: CompiledExperiment, units: DecisionUnits): string | null | undefined => units[experiment.unit];

/** A multivariate variant as reported: each factor's level in the factors' order, `factor=level|factor=level`. */
export function variantKey(experiment: CompiledExperiment, levels: Readonly<Record<string, string>>): string {
  let key = '';
  for (const factor of experiment.factors) key += `${key ? '|' : ''}${factor.id}=${ownValue(levels, factor.id) ?? ''}`;
  return key;
}

/**
 * The levels a multivariate variant key names, or undefined unless it names one existing level
 * of every factor (`headline=b|button=green`, factors in any order).
 */
export function parseVariantKey(experiment: CompiledExperiment, key: string): Record<string, string> | undefined {
  const levels: Record<string, string> = {};
  for (const part of key.split('|')) {
    const [factorId = '', levelId, extra] = part.split('=');
    const factor = experiment.factors.find((f) => f.id === factorId);
    if (!factor || levelId === undefined || extra !== undefined || !factor.levels.has(levelId) || Object.hasOwn(levels, factorId)) return undefined;
    setOwn(levels, factorId, levelId);
  }
  return Object.keys(levels).length === experiment.factors.length ? levels : undefined;
}

/**
 * Whether a stored assignment still names something the experiment serves: the holdout, an
 * existing variant, or (multivariate) an existing level of every factor. Otherwise the visitor
 * is assigned again.
 */
export function isStillValid(experiment: CompiledExperiment, stored: StickyAssignment): boolean {
  if (stored.variant === HOLDOUT) return true;
  if (experiment.factorial === undefined) return experiment.variants.has(stored.variant);
  const levels = stored.levels;
  if (levels === undefined || Object.keys(levels).length !== experiment.factors.length) return false;
  for (const factor of experiment.factors) {
    const level = ownValue(levels, factor.id);
    if (level === undefined || !factor.levels.has(level)) return false;
  }
  return stored.variant === variantKey(experiment, levels);
}
