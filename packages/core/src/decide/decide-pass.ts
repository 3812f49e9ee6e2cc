import type { CompiledBundle, CompiledExperience, DecideInput, DecideScratch, Decision, DecisionData, SlotPlan } from './types.js';
import { isCapped } from './cap-check.js';
import { AUDIENCE, GATED, SCHEDULED, TRIGGERED } from './compile-bundle.js';
import { ownValue, setOwn } from './decision-state.js';
import { fallbackDecision, servedDecision } from './decision-values.js';
import { forceSlot } from './forcing.js';
import { truthy } from '../rules/truthy.js';
import { ERROR, FORCED, GROUP_TAKEN, HELD_OUT, CAPPED, NO_CONSENT, NOT_IN_AUDIENCE, SKIPPED, UNSCHEDULED, WON } from './outcomes.js';

// The pass being decided. Deciding is synchronous and never re-entered, so module state saves
// passing (or allocating) a context object through every helper.
let C: CompiledBundle;
let I: DecideInput;
let S: DecideScratch;
let D: DecisionData;
// The clock, read once per pass: a double read from the input per candidate was boxed (12 bytes each).
let NOW = 0;

/** Starts a pass of `compiled` over `input` (a new epoch of its scratch; the rules' pass when personalization is allowed). */
export function startPass(compiled: CompiledBundle, input: DecideInput): void {
  C = compiled;
  I = input;
  S = compiled.scratch;
  if (S.epoch === 0x7fffffff) {
    S.stamp.fill(0);
    S.slotStamp.fill(0);
    S.epoch = 0;
  }
  S.epoch++;
  NOW = input.nowMs;
  if (input.personalizationAllowed) D = compiled.begin(input.data, input.onRuleError, compiled.readsStage);
}

/** Ends the pass: the caller's input and profile are not kept alive between decisions. */
export function endPass(): void {
  I = undefined as unknown as DecideInput;
  D = undefined as unknown as DecisionData;
}

/** Prepares a slot for this pass; a forced experience takes the slot before anything is evaluated. */
function slotInit(plan: SlotPlan): void {
  const i = plan.index;
  if (S.slotStamp[i] === S.epoch) return;
  S.slotStamp[i] = S.epoch;
  S.slotCursor[i] = 0;
  S.slotDone[i] = 0;
  if (I.forced !== undefined) forceSlot(S, plan, I.forced);
}

/**
 * The outcome of an experience on this pass, evaluating its slot up to it if needed. What an
 * experience's outcome depends on (earlier candidates of its slot, earlier experiences of its
 * group) always ranks before it, so this recursion ends, and any slot can be decided alone with
 * the answer `decideAll` gives.
 */
function status(experience: CompiledExperience): number {
  const rank = experience.rank;
  if (S.stamp[rank] !== S.epoch) {
    const plan = C.slots[experience.slotIndex] as SlotPlan;
    slotInit(plan);
    if (S.stamp[rank] !== S.epoch) advance(plan, experience.position);
  }
  return S.outcome[rank] as number;
}

/** Evaluates the slot's candidates in order up to position `upTo`; those after the one deciding the slot are SKIPPED. */
function advance(plan: SlotPlan, upTo: number): void {
  const i = plan.index;
  const ranks = plan.ranks;
  for (let at = S.slotCursor[i] as number; at <= upTo; at = S.slotCursor[i] as number) {
    S.slotCursor[i] = at + 1;
    const rank = ranks[at] as number;
    S.stamp[rank] = S.epoch;
    const outcome = S.slotDone[i] ? SKIPPED : evaluate(rank);
    S.outcome[rank] = outcome;
    if (outcome >= HELD_OUT) S.slotDone[i] = 1;
  }
}

function failed(rank: number, error: unknown): number {
  S.error[rank] = error;
  I.onRuleError(`experience "${(C.experiences[rank] as CompiledExperience).id}"`, error);
  return ERROR;
}

/**
 * Checks in order: schedule, audience (segment, then rule), caps, exclusion group, experiment.
 * The first "no" is the outcome. Reads the bundle's table first: the experience object only
 * for the checks it has.
 */
function evaluate(rank: number): number {
  const table = C.table;
  const flags = table.flags[rank] as number;
  if (flags & SCHEDULED) {
    const scheduled = C.experiences[rank] as CompiledExperience;
    if (NOW < scheduled.startMs || NOW >= scheduled.endMs) return UNSCHEDULED;
  }
  if (flags & AUDIENCE) {
    if (flags & TRIGGERED) {
      const eligible = I.state.eligible;
      if (eligible === undefined || ownValue(eligible, (C.experiences[rank] as CompiledExperience).id) === undefined) return NOT_IN_AUDIENCE;
    }
    try {
      const segment = table.segment[rank] as number;
      if (segment >= 0 && !C.pass.segment(segment)) return NOT_IN_AUDIENCE;
      const rule = table.rule[rank];
      if (rule !== undefined && !truthy(rule(D))) return NOT_IN_AUDIENCE;
    } catch (error) {
      return failed(rank, error);
    }
  }
  if (!(flags & GATED)) return WON;
  const candidate = C.experiences[rank] as CompiledExperience;
  if (candidate.caps.length > 0 && isCapped(S, candidate, I, NOW)) return CAPPED;
  if (candidate.group !== undefined && groupTaken(candidate)) return GROUP_TAKEN;
  if (candidate.experiment === undefined) return WON;
  try {
    return C.experimentOutcome(S, candidate, candidate.experiment, I);
  } catch (error) {
    return failed(rank, error);
  }
}

/** Whether another experience of the candidate's group holds it: on this page view, or earlier in the decision order. */
function groupTaken(candidate: CompiledExperience): boolean {
  const claimer = I.pageView.claims.get(candidate.group as string);
  if (claimer !== undefined) return claimer !== candidate.id;
  const all = C.experiences;
  for (const rank of candidate.rivals) if (status(all[rank] as CompiledExperience) >= HELD_OUT) return true;
  if (I.forced !== undefined) {
    for (const rank of candidate.mates) {
      const mate = all[rank] as CompiledExperience;
      slotInit(C.slots[mate.slotIndex] as SlotPlan);
      if (S.stamp[rank] === S.epoch && S.outcome[rank] === FORCED) return true;
    }
  }
  return false;
}

/** Each decision's last copy with scores: returned again while the scores are the same (decisions stay values). */
const scored = new WeakMap<Decision, Decision>();

/** `decision` with the scores of `models` in this pass (cached: no model is scored twice in a pass). */
function withScores(decision: Decision, models: readonly string[]): Decision {
  const last = scored.get(decision);
  let same = last !== undefined;
  const scores: Record<string, number> = Object.create(null);
  for (const id of models) {
    let score: number;
    try {
      score = C.score(id, D);
    } catch {
      return decision; // Its audience would have failed first; nothing to report.
    }
    setOwn(scores, id, score);
    same &&= Object.is(ownValue(last!.scores!, id), score);
  }
  if (same) return last!;
  const copy = Object.freeze({ ...decision, scores: Object.freeze(scores) });
  scored.set(decision, copy);
  return copy;
}

/** Decides one slot of the pass: its first candidate that decides it, else its default with the most specific reason. */
export function decideSlot(plan: SlotPlan): Decision {
  slotInit(plan);
  if (!I.personalizationAllowed) {
    // A QA override still applies (it uses nothing personal); nothing else is evaluated.
    for (const candidate of plan.experiments) if (S.stamp[candidate.rank] === S.epoch && S.outcome[candidate.rank] === FORCED) return servedDecision(S, plan, candidate, FORCED, I);
    return fallbackDecision(S, plan, NO_CONSENT, undefined);
  }
  advance(plan, plan.candidates.length - 1);
  let worst = SKIPPED;
  let worstAt = -1;
  const ranks = plan.ranks;
  for (let at = 0; at < ranks.length; at++) {
    const rank = ranks[at] as number;
    const outcome = S.outcome[rank] as number;
    if (outcome >= HELD_OUT) {
      const winner = C.experiences[rank] as CompiledExperience;
      const decision = servedDecision(S, plan, winner, outcome, I);
      return winner.models.length > 0 ? withScores(decision, winner.models) : decision;
    }
    if (outcome > worst) {
      worst = outcome;
      worstAt = rank;
    }
  }
  return fallbackDecision(S, plan, worst, worstAt < 0 ? undefined : C.experiences[worstAt]);
}
