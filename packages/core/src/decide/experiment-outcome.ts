import type { CompiledExperience, CompiledExperiment, DecideInput, DecideScratch } from './types.js';
import { HOLDOUT } from '../bundle/format.js';
import { assignFactors, assignVariant, type Assignment, type FactorAssignment } from './assign-variant.js';
import { ownValue } from './decision-state.js';
import { HELD_OUT, NOT_IN_TRAFFIC, WON } from './outcomes.js';
import { isStillValid, unitOf } from './sticky.js';

/**
 * The experiments part (see client/load-parts.ts: loaded only for bundles with an experiment).
 * The candidate's place in its experiment: its sticky assignment when still valid for this unit,
 * else the one the hash gives (marked fresh, for `onAssign`). Writes the variant and levels into
 * the scratch; returns WON, HELD_OUT or NOT_IN_TRAFFIC.
 */
export function experimentOutcome(scratch: DecideScratch, candidate: CompiledExperience, experiment: CompiledExperiment, input: DecideInput): number {
  const rank = candidate.rank;
  const unit = unitOf(experiment, input.units);
  if (!unit) return NOT_IN_TRAFFIC;
  // A bandit draws per session: nothing about it is sticky beyond that.
  const stored = experiment.bandit ? undefined : ownValue(input.state.assignments, experiment.id);
  if (stored !== undefined && stored.unit === unit && (scratch.checked[rank] === stored || isStillValid(experiment, stored))) {
    scratch.checked[rank] = stored;
    scratch.fresh[rank] = 0;
    scratch.variant[rank] = stored.variant;
    scratch.levels[rank] = stored.levels;
    return stored.variant === HOLDOUT ? HELD_OUT : WON;
  }
  let assignment = scratch.assigned[rank] as Assignment | FactorAssignment | undefined;
  if (assignment === undefined || scratch.assignedUnit[rank] !== unit) {
    assignment = experiment.factorial !== undefined ? assignFactors(experiment.factorial, unit) : assignVariant(experiment.arms as NonNullable<CompiledExperiment['arms']>, unit);
    scratch.assigned[rank] = assignment;
    scratch.assignedUnit[rank] = unit;
  }
  if (assignment.status === 'not-in-traffic') return NOT_IN_TRAFFIC;
  scratch.fresh[rank] = experiment.bandit ? 0 : 1;
  if (assignment.status === 'holdout') {
    scratch.variant[rank] = HOLDOUT;
    scratch.levels[rank] = undefined;
    return HELD_OUT;
  }
  scratch.variant[rank] = experiment.bandit ? experiment.bandit(unit, input.sessionId, input.data) : assignment.variant;
  scratch.levels[rank] = 'levels' in assignment ? assignment.levels : undefined;
  return WON;
}
