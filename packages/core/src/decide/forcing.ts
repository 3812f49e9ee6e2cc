import type { CompiledExperience, CompiledExperiment, DecideScratch, SlotPlan } from './types.js';
import { ownValue } from './decision-state.js';
import { FORCED, SKIPPED } from './outcomes.js';
import { parseVariantKey, variantKey } from './sticky.js';

/** Writes a valid QA override of `experience`'s experiment into the scratch; false when there is none. */
function forceInto(scratch: DecideScratch, experience: CompiledExperience, forced: Readonly<Record<string, string>>): boolean {
  const experiment = experience.experiment as CompiledExperiment;
  const wanted = ownValue(forced, experiment.id);
  if (wanted === undefined) return false;
  let levels: Record<string, string> | undefined;
  let variant = wanted;
  if (experiment.factorial !== undefined) {
    levels = parseVariantKey(experiment, wanted);
    if (levels === undefined) return false;
    variant = variantKey(experiment, levels);
  } else if (!experiment.variants.has(wanted)) {
    return false;
  }
  scratch.variant[experience.rank] = variant;
  scratch.levels[experience.rank] = levels;
  scratch.fresh[experience.rank] = 0;
  return true;
}

/**
 * A QA override takes its slot before anything is evaluated: the first experience of the slot
 * with a valid override is FORCED on this pass, every other candidate SKIPPED. False when no
 * override applies to the slot.
 */
export function forceSlot(scratch: DecideScratch, plan: SlotPlan, forced: Readonly<Record<string, string>>): boolean {
  for (const experience of plan.experiments) {
    if (!forceInto(scratch, experience, forced)) continue;
    for (const candidate of plan.candidates) {
      scratch.stamp[candidate.rank] = scratch.epoch;
      scratch.outcome[candidate.rank] = candidate === experience ? FORCED : SKIPPED;
    }
    scratch.slotCursor[plan.index] = plan.candidates.length;
    scratch.slotDone[plan.index] = 1;
    return true;
  }
  return false;
}
