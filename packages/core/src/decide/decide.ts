import { errorMessage } from '../errors.js';
import { decideSlot, endPass, startPass } from './decide-pass.js';
import type { CompiledBundle, DecideInput, Decision, DecisionReason, SlotPlan } from './types.js';
export type { DecisionReason, ExperimentInfo, Decision, DecisionUnits, DecideInput } from './types.js';

function bare(slot: string, reason: DecisionReason, message?: string): Decision {
  const decision: Decision = { slot, experience: null, variant: null, content: null, reason };
  if (message !== undefined) (decision as { message?: string }).message = message;
  return Object.freeze(decision);
}

function unusable(compiled: CompiledBundle | undefined, nowMs: number): DecisionReason | undefined {
  if (compiled === undefined) return 'default-no-bundle';
  if (compiled.expiresAtMs !== undefined && nowMs >= compiled.expiresAtMs) return 'default-expired';
  return undefined;
}

/**
 * Decides one slot: the first experience in priority order that is live, in its audience, not
 * capped, not excluded by its group and (with an experiment) in its traffic; a holdout stops the
 * slot. The answer is the one `decideAll` gives for that slot. Pure apart from `input.pageView`
 * (group claims) and the callbacks; synchronous; never throws.
 */
export function decide(compiled: CompiledBundle | undefined, slot: string, input: DecideInput): Decision {
  const reason = unusable(compiled, input.nowMs);
  if (reason !== undefined) return bare(slot, reason);
  const plan = (compiled as CompiledBundle).bySlot.get(slot);
  if (plan === undefined) return bare(slot, input.personalizationAllowed ? 'not-in-audience' : 'default-no-consent');
  try {
    startPass(compiled as CompiledBundle, input);
    return decideSlot(plan);
  } catch (error) {
    return bare(slot, 'error', errorMessage(error));
  } finally {
    endPass();
  }
}

/**
 * Decides every slot of the bundle (in the order slots first appear in it) in one pass, so
 * segments shared between slots are evaluated once. Exclusion groups go to experiences in global
 * priority order, whatever the slots' order. Without a bundle there are no slots: `[]`. An
 * unchanged result is the same array.
 */
export function decideAll(compiled: CompiledBundle | undefined, input: DecideInput): readonly Decision[] {
  if (compiled === undefined) return [];
  const reason = unusable(compiled, input.nowMs);
  if (reason !== undefined) return compiled.slots.map((plan) => bare(plan.slot, reason));
  const scratch = compiled.scratch;
  const previous = scratch.lastAll;
  const decisions = new Array<Decision>(compiled.slots.length);
  let same = previous !== undefined && previous.length === decisions.length;
  try {
    startPass(compiled, input);
    for (let i = 0; i < decisions.length; i++) {
      const decision = decideSlot(compiled.slots[i] as SlotPlan);
      decisions[i] = decision;
      same = same && (previous as readonly Decision[])[i] === decision;
    }
  } catch (error) {
    return compiled.slots.map((plan) => bare(plan.slot, 'error', errorMessage(error)));
  } finally {
    endPass();
  }
  if (same) return previous as readonly Decision[];
  scratch.lastAll = Object.freeze(decisions);
  return scratch.lastAll;
}
