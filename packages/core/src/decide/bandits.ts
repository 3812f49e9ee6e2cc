/**
 * Bandit experiments in decide: an experiment with `allocation` serves the arm Thompson sampling
 * draws for the unit and session (models/bandit/choose-arm.ts), once its holdout and traffic gates
 * (the experiment formula) let the unit in. Part of the models part (models/models-part.ts): loaded
 * only for bundles that have bandits.
 */
import type { BundleExperience } from '../bundle/schema.js';
import { compileBandit } from '../models/bandit/choose-arm.js';
import { chooseArm } from '../models/bandit/choose-arm.js';
import type { CompileRead } from '../models/read-features.js';
import { truthy } from '../rules/truthy.js';
import type { DrawArm } from './types.js';

/**
 * The arm drawer of a bandit experience: the visitor's segments among those the bandit lists are
 * read from the pass's data (compiled with the bundle's `compile`); the last draw is kept (a draw
 * samples every arm's Beta posterior: a few microseconds). Throws `bandit-invalid` (compileBandit)
 * when the bandit cannot be used.
 */
export function createBanditDraw(experience: BundleExperience, compile: CompileRead): DrawArm {
  const bandit = compileBandit(experience);
  const listed = bandit.segments.map(({ segment }) => ({ segment, test: compile({ segment }, `experience "${experience.id}" allocation segment "${segment}"`) }));
  let lastKey: string | undefined;
  let lastArm = '';
  return (unit, session, data) => {
    const segments = listed.filter(({ test }) => truthy(test(data))).map(({ segment }) => segment);
    const key = `${unit}\n${session}\n${segments.join('\n')}`;
    if (key !== lastKey) {
      lastArm = chooseArm(bandit, unit, session, segments)!.variant;
      lastKey = key;
    }
    return lastArm;
  };
}
