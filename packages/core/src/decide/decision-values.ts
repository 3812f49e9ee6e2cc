import type { CompiledExperience, CompiledExperiment, DecideInput, DecideScratch, Decision, DecisionReason, ExperimentInfo, ServedVariant, SlotPlan } from './types.js';
import { HOLDOUT } from '../bundle/format.js';
import type { BundleContent } from '../bundle/schema.js';
import { errorMessage } from '../errors.js';
import { ownValue } from './decision-state.js';
import { dict } from '../profile/records.js';
import { unitOf } from './sticky.js';
import { CAPPED, ERROR, FORCED, GROUP_TAKEN, HELD_OUT, NO_CONSENT, NOT_IN_TRAFFIC } from './outcomes.js';

/*
 * A decision is a value: each distinct one is built once, kept where its parts come from (the
 * candidate, the experiment's variant, the slot), and returned again, so deciding allocates no
 * decision in the steady state, even when visitors or re-renders alternate, and an unchanged
 * decision is the same object for UI frameworks.
 */

/** Slots of `DecideScratch.candidateDecisions`, per candidate rank. */
export const PER_CANDIDATE = 3;
const MATCHED_AT = 0;
const CAPPED_AT = 1;
const GROUP_TAKEN_AT = 2;
/** Slots of `DecideScratch.slotDecisions`, per slot index. */
export const PER_SLOT = 4;
const NOT_IN_AUDIENCE_AT = 0;
const NOT_IN_TRAFFIC_AT = 1;
const NO_CONSENT_AT = 2;
const ERROR_AT = 3; // the last error decision, reused while its message is the same
const SLOT_REASONS: readonly DecisionReason[] = ['not-in-audience', 'not-in-traffic', 'default-no-consent'];

/** A frozen decision with these parts. */
function freeze(
  slot: string,
  experience: string | null,
  variant: string | null,
  content: BundleContent | null,
  reason: DecisionReason,
  message?: string,
  experiment?: ExperimentInfo,
  parts?: Readonly<Record<string, BundleContent>>,
): Decision {
  const decision: { -readonly [K in keyof Decision]: Decision[K] } = { slot, experience, variant, content, reason };
  if (message !== undefined) decision.message = message;
  if (experiment !== undefined) decision.experiment = experiment;
  if (parts !== undefined) decision.parts = parts;
  if (reason === 'forced') decision.forced = true;
  return Object.freeze(decision);
}

/** The decision parts of an experiment's variant, built once per variant. */
function variantOf(experiment: CompiledExperiment, variant: string, levels: Readonly<Record<string, string>> | undefined): ServedVariant {
  let served = experiment.infos.get(variant);
  if (served === undefined) {
    if (experiment.factorial !== undefined && levels !== undefined && variant !== HOLDOUT) {
      const copy = dict<string>();
      const parts = dict<BundleContent>();
      for (const factor of experiment.factors) {
        const level = ownValue(levels, factor.id) as string;
        copy[factor.id] = level;
        parts[factor.id] = factor.levels.get(level) as BundleContent;
      }
      served = { info: Object.freeze({ id: experiment.id, variant, levels: Object.freeze(copy) }), parts: Object.freeze(parts) };
    } else {
      served = { info: Object.freeze({ id: experiment.id, variant }), parts: undefined };
    }
    experiment.infos.set(variant, served);
  }
  return served;
}

/** What a variant serves: the first factor's content (multivariate), else the variant's. */
function contentOf(experiment: CompiledExperiment, variant: string, parts: Readonly<Record<string, BundleContent>> | undefined): BundleContent | null {
  return parts !== undefined ? (parts[(experiment.factors[0] as { id: string }).id] as BundleContent) : (experiment.variants.get(variant) ?? null);
}

/**
 * The decision of a slot whose candidate `winner` decided it (WON, FORCED or HELD_OUT): claims
 * the winner's exclusion group for the page view and reports a fresh assignment to `onAssign`.
 */
export function servedDecision(scratch: DecideScratch, plan: SlotPlan, winner: CompiledExperience, outcome: number, input: DecideInput): Decision {
  const group = winner.group;
  if (group !== undefined && input.pageView.claims.get(group) !== winner.id) input.pageView.claims.set(group, winner.id);
  const experiment = winner.experiment;
  if (experiment === undefined) {
    const at = winner.rank * PER_CANDIDATE + MATCHED_AT;
    return (scratch.candidateDecisions[at] ??= freeze(plan.slot, winner.id, winner.variant, winner.content, 'matched'));
  }
  const rank = winner.rank;
  const variant = scratch.variant[rank] as string;
  const levels = scratch.levels[rank];
  if (scratch.fresh[rank] && input.onAssign) {
    const unit = unitOf(experiment, input.units) as string;
    const at = input.nowMs;
    input.onAssign(experiment.id, levels ? { unit, variant, levels: { ...levels }, at } : { unit, variant, at });
  }
  const served = variantOf(experiment, variant, levels);
  const reason = outcome === HELD_OUT ? 'holdout' : outcome === FORCED ? 'forced' : 'matched';
  return (served[reason] ??=
    outcome === HELD_OUT
      ? freeze(plan.slot, winner.id, plan.defaultVariant, plan.defaultContent, reason, undefined, served.info)
      : freeze(plan.slot, winner.id, variant, contentOf(experiment, variant, served.parts), reason, undefined, served.info, served.parts));
}

/** The slot's default, with the most specific reason its candidates gave (`at` is the candidate that gave it). */
export function fallbackDecision(scratch: DecideScratch, plan: SlotPlan, outcome: number, at: CompiledExperience | undefined): Decision {
  const slotAt = plan.index * PER_SLOT;
  if (outcome === ERROR) {
    const failed = at as CompiledExperience;
    const message = `experience "${failed.id}": ${errorMessage(scratch.error[failed.rank])}`;
    const last = scratch.slotDecisions[slotAt + ERROR_AT];
    if (last !== undefined && last.message === message) return last;
    return (scratch.slotDecisions[slotAt + ERROR_AT] = freeze(plan.slot, null, plan.defaultVariant, plan.defaultContent, 'error', message));
  }
  if (outcome === CAPPED || outcome === GROUP_TAKEN) {
    const kept = at as CompiledExperience;
    const i = kept.rank * PER_CANDIDATE + (outcome === CAPPED ? CAPPED_AT : GROUP_TAKEN_AT);
    return (scratch.candidateDecisions[i] ??= freeze(plan.slot, null, plan.defaultVariant, plan.defaultContent, 'capped', outcome === CAPPED ? kept.cappedMessage : kept.groupMessage));
  }
  const k = outcome === NO_CONSENT ? NO_CONSENT_AT : outcome === NOT_IN_TRAFFIC ? NOT_IN_TRAFFIC_AT : NOT_IN_AUDIENCE_AT;
  return (scratch.slotDecisions[slotAt + k] ??= freeze(plan.slot, null, plan.defaultVariant, plan.defaultContent, SLOT_REASONS[k] as DecisionReason));
}
