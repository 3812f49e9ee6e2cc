import { HOLDOUT, type BundleContent } from '../bundle/schema.js';
import { errorMessage } from '../errors.js';
import { assignFactors, assignVariant, type Assignment, type FactorAssignment } from './assign-variant.js';
import type { CompiledBundle, CompiledExperience, CompiledExperiment, DecideScratch, DecisionData, RuleErrorHandler, SlotPlan } from './compile-bundle.js';
import { impressionsPer, localDayKey, ownValue, type DecisionState, type StickyAssignment } from './decision-state.js';
import type { PageView } from './page-view.js';
import { isStillValid, parseVariantKey, variantKey } from './sticky.js';

/**
 * Why a slot got its content (README "Decisions" documents each). `matched` and `forced` serve
 * an experience's variant; every other reason serves the slot's default (or, without a usable
 * bundle, no content at all).
 */
export type DecisionReason =
  | 'matched'
  | 'forced'
  | 'holdout'
  | 'not-in-traffic'
  | 'capped'
  | 'not-in-audience'
  | 'default-no-consent'
  | 'default-no-bundle'
  | 'default-expired'
  | 'error';

/** The experiment behind a decision. */
export interface ExperimentInfo {
  readonly id: string;
  /** The variant (multivariate: `factor=level|factor=level`), or `"holdout"`. */
  readonly variant: string;
  /** Multivariate tests: the level of each factor. */
  readonly levels?: Readonly<Record<string, string>>;
}

/** The outcome of deciding one slot. Decisions are frozen; an unchanged decision is the same object. */
export interface Decision {
  readonly slot: string;
  /** The experience that decided the slot (matched, forced, or whose experiment holds the visitor out); null otherwise. */
  readonly experience: string | null;
  readonly variant: string | null;
  /** The content to show; null means "keep the page's own markup". */
  readonly content: BundleContent | null;
  readonly reason: DecisionReason;
  /** What went wrong (`error`) or what kept the experience out (`capped`). */
  readonly message?: string;
  readonly experiment?: ExperimentInfo;
  /** Multivariate tests: each factor's content (`content` is the first factor's). */
  readonly parts?: Readonly<Record<string, BundleContent>>;
  /** Set when a QA override chose the variant: such decisions are not exposures. */
  readonly forced?: true;
}

/** The ids experiments hash; a missing one keeps the visitor out of experiments on that unit. */
export interface DecisionUnits {
  readonly anonymousId?: string | null | undefined;
  readonly userId?: string | null | undefined;
}

export interface DecideInput {
  /** What rules read: `{ context, profile }`. */
  readonly data: DecisionData;
  readonly units: DecisionUnits;
  /** The current session, for caps per session. */
  readonly sessionId: string;
  /** The decision clock, epoch ms (schedules, expiry, caps per day, assignment times). */
  readonly nowMs: number;
  /** Personalization consent: without it slots get their defaults (`default-no-consent`) and nothing is assigned. */
  readonly personalizationAllowed: boolean;
  /** Sticky assignments and cap counters, as persisted. Read only: see `onAssign`. */
  readonly state: DecisionState;
  /** This page view's exclusion-group claims and reported exposures; `decide` adds its claims. */
  readonly pageView: PageView;
  /** QA overrides: experiment id → variant id (multivariate: `factor=level|...`). */
  readonly forced?: Readonly<Record<string, string>> | undefined;
  /** A rule (or an assignment) threw: it counted as "no" for that experience only. */
  readonly onRuleError: RuleErrorHandler;
  /** A decision put the visitor in an experiment for the first time: store it (`recordAssignment`) to keep it sticky. */
  readonly onAssign?: ((experimentId: string, assignment: StickyAssignment) => void) | undefined;
}

// What happened to one candidate in a pass. Losing outcomes are ordered by how far the candidate
// got, so the highest one is the most specific reason to report when nothing was served.
const SKIPPED = 0;
const UNSCHEDULED = 1;
const NOT_IN_AUDIENCE = 2;
const CAPPED = 3;
const GROUP_TAKEN = 4;
const NOT_IN_TRAFFIC = 5;
const ERROR = 6;
const HELD_OUT = 7; // from here on the candidate decides its slot
const WON = 8;
const FORCED = 9;
const NO_CONSENT = 10; // not an outcome: what `fallback` reports without personalization consent

// The pass being decided. Deciding is synchronous and never re-entered, so module state saves
// passing (or allocating) a context object through every helper.
let C: CompiledBundle;
let I: DecideInput;
let S: DecideScratch;
let D: DecisionData;
// The clock, read once per pass: a double read from the input per candidate was boxed (12 bytes each).
let NOW = 0;

function start(compiled: CompiledBundle, input: DecideInput): void {
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

function release(): void {
  // Do not keep the caller's profile alive between decisions.
  I = undefined as unknown as DecideInput;
  D = undefined as unknown as DecisionData;
}

/** Writes a valid QA override of `experience`'s experiment into the scratch; false when there is none. */
function forceInto(experience: CompiledExperience): boolean {
  const experiment = experience.experiment as CompiledExperiment;
  const wanted = ownValue(I.forced as Readonly<Record<string, string>>, experiment.id);
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
  S.variant[experience.rank] = variant;
  S.levels[experience.rank] = levels;
  S.fresh[experience.rank] = 0;
  return true;
}

/** Prepares a slot for this pass; a forced experience takes the slot before anything is evaluated. */
function slotInit(plan: SlotPlan): void {
  const i = plan.index;
  if (S.slotStamp[i] === S.epoch) return;
  S.slotStamp[i] = S.epoch;
  S.slotCursor[i] = 0;
  S.slotDone[i] = 0;
  if (I.forced === undefined) return;
  for (const experience of plan.experiments) {
    if (!forceInto(experience)) continue;
    for (const candidate of plan.candidates) {
      S.stamp[candidate.rank] = S.epoch;
      S.outcome[candidate.rank] = candidate === experience ? FORCED : SKIPPED;
    }
    S.slotCursor[i] = plan.candidates.length;
    S.slotDone[i] = 1;
    return;
  }
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

function advance(plan: SlotPlan, upTo: number): void {
  const i = plan.index;
  const candidates = plan.candidates;
  for (let at = S.slotCursor[i] as number; at <= upTo; at = S.slotCursor[i] as number) {
    S.slotCursor[i] = at + 1;
    const candidate = candidates[at] as CompiledExperience;
    S.stamp[candidate.rank] = S.epoch;
    const outcome = S.slotDone[i] ? SKIPPED : evaluate(candidate);
    S.outcome[candidate.rank] = outcome;
    if (outcome >= HELD_OUT) S.slotDone[i] = 1;
  }
}

function failed(candidate: CompiledExperience, error: unknown): number {
  S.error[candidate.rank] = error;
  I.onRuleError(`experience "${candidate.id}"`, error);
  return ERROR;
}

/** Checks in order: schedule, audience, caps, exclusion group, experiment. The first "no" is the outcome. */
function evaluate(candidate: CompiledExperience): number {
  if (NOW < candidate.startMs || NOW >= candidate.endMs) return UNSCHEDULED;
  if (candidate.audience !== undefined) {
    try {
      if (!candidate.audience(D)) return NOT_IN_AUDIENCE;
    } catch (error) {
      return failed(candidate, error);
    }
  }
  if (candidate.caps.length > 0 && capped(candidate)) return CAPPED;
  if (candidate.group !== undefined && groupTaken(candidate)) return GROUP_TAKEN;
  if (candidate.experiment === undefined) return WON;
  try {
    return assign(candidate, candidate.experiment);
  } catch (error) {
    return failed(candidate, error);
  }
}

/** Today's local calendar day, recomputed only when the clock leaves the cached day. */
function today(): number {
  const now = I.nowMs;
  if (now < S.dayFromMs || now >= S.dayToMs) {
    const date = new Date(now);
    S.dayFromMs = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
    S.dayToMs = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
    S.dayKey = localDayKey(now);
  }
  return S.dayKey;
}

function capped(candidate: CompiledExperience): boolean {
  const counter = ownValue(I.state.caps, candidate.id);
  if (counter === undefined) return false;
  // An impression counted in this page view was allowed when the page view decided it: re-deciding keeps it.
  const own = I.pageView.shown.has(candidate.id) ? 1 : 0;
  for (const cap of candidate.caps) {
    if (impressionsPer(counter, cap.per, I.sessionId, cap.per === 'day' ? today() : 0) - own >= cap.count) return true;
  }
  return false;
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

/** The id an experiment hashes for this visitor (empty or missing: not in the experiment). */
const unitOf = (experiment: CompiledExperiment): string | null | undefined => I.units[experiment.unit];

function assign(candidate: CompiledExperience, experiment: CompiledExperiment): number {
  const rank = candidate.rank;
  const unit = unitOf(experiment);
  if (!unit) return NOT_IN_TRAFFIC;
  const stored = ownValue(I.state.assignments, experiment.id);
  if (stored !== undefined && stored.unit === unit && (S.checked[rank] === stored || isStillValid(experiment, stored))) {
    S.checked[rank] = stored;
    S.fresh[rank] = 0;
    S.variant[rank] = stored.variant;
    S.levels[rank] = stored.levels;
    return stored.variant === HOLDOUT ? HELD_OUT : WON;
  }
  let assignment = S.assigned[rank] as Assignment | FactorAssignment | undefined;
  if (assignment === undefined || S.assignedUnit[rank] !== unit) {
    assignment = experiment.factorial !== undefined ? assignFactors(experiment.factorial, unit) : assignVariant(experiment.arms as NonNullable<CompiledExperiment['arms']>, unit);
    S.assigned[rank] = assignment;
    S.assignedUnit[rank] = unit;
  }
  if (assignment.status === 'not-in-traffic') return NOT_IN_TRAFFIC;
  S.fresh[rank] = 1;
  if (assignment.status === 'holdout') {
    S.variant[rank] = HOLDOUT;
    S.levels[rank] = undefined;
    return HELD_OUT;
  }
  S.variant[rank] = assignment.variant;
  S.levels[rank] = 'levels' in assignment ? assignment.levels : undefined;
  return WON;
}

type Served = NonNullable<ReturnType<CompiledExperiment['infos']['get']>>;

/** The decision parts of an experiment's variant, built once per variant. */
function infoFor(experiment: CompiledExperiment, variant: string, levels: Readonly<Record<string, string>> | undefined): Served {
  let served = experiment.infos.get(variant);
  if (served === undefined) {
    if (experiment.factorial !== undefined && levels !== undefined && variant !== HOLDOUT) {
      const copy: Record<string, string> = {};
      const parts: Record<string, BundleContent> = {};
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

/** Distinct decisions kept per slot for reuse: enough for the outcomes a slot alternates between. */
const KEPT_PER_SLOT = 8;

/**
 * The decision with these parts. A decision is a value: one the slot gave recently is returned
 * again (the same frozen object), so deciding allocates nothing in the steady state, even when
 * visitors or re-renders alternate, and an unchanged decision is the same object for UI frameworks.
 */
function remember(
  plan: SlotPlan,
  experience: string | null,
  variant: string | null,
  content: BundleContent | null,
  reason: DecisionReason,
  message?: string,
  experiment?: ExperimentInfo,
  parts?: Readonly<Record<string, BundleContent>>,
): Decision {
  const kept = S.decisions[plan.index] as Decision[];
  for (let i = 0; i < kept.length; i++) {
    const d = kept[i] as Decision;
    if (
      d.reason === reason &&
      d.experience === experience &&
      d.variant === variant &&
      d.content === content &&
      d.message === message &&
      d.experiment === experiment &&
      d.parts === parts
    ) {
      return d;
    }
  }
  const decision: { -readonly [K in keyof Decision]: Decision[K] } = { slot: plan.slot, experience, variant, content, reason };
  if (message !== undefined) decision.message = message;
  if (experiment !== undefined) decision.experiment = experiment;
  if (parts !== undefined) decision.parts = parts;
  if (reason === 'forced') decision.forced = true;
  Object.freeze(decision);
  // Newest first: the steady state finds its decision at once.
  if (kept.length >= KEPT_PER_SLOT) kept.pop();
  kept.unshift(decision);
  return decision;
}

/** The decision of a slot whose candidate `winner` decided it (served, forced or holdout). */
function served(plan: SlotPlan, winner: CompiledExperience, outcome: number): Decision {
  const group = winner.group;
  if (group !== undefined && I.pageView.claims.get(group) !== winner.id) I.pageView.claims.set(group, winner.id);
  const experiment = winner.experiment;
  if (experiment === undefined) return remember(plan, winner.id, winner.variant, winner.content, 'matched');
  const rank = winner.rank;
  const variant = S.variant[rank] as string;
  const levels = S.levels[rank];
  if (S.fresh[rank] && I.onAssign) {
    const unit = unitOf(experiment) as string;
    I.onAssign(experiment.id, levels ? { unit, variant, levels: { ...levels }, at: I.nowMs } : { unit, variant, at: I.nowMs });
  }
  const { info, parts } = infoFor(experiment, variant, levels);
  if (outcome === HELD_OUT) return remember(plan, winner.id, plan.defaultVariant, plan.defaultContent, 'holdout', undefined, info);
  const content = parts !== undefined ? (parts[(experiment.factors[0] as { id: string }).id] as BundleContent) : (experiment.variants.get(variant) ?? null);
  return remember(plan, winner.id, variant, content, outcome === FORCED ? 'forced' : 'matched', undefined, info, parts);
}

/** The slot's default, with the most specific reason its candidates gave. */
function fallback(plan: SlotPlan, outcome: number, at: CompiledExperience | undefined): Decision {
  let reason: DecisionReason = outcome === NO_CONSENT ? 'default-no-consent' : 'not-in-audience';
  let message: string | undefined;
  if (outcome === ERROR) {
    reason = 'error';
    message = `experience "${(at as CompiledExperience).id}": ${errorMessage(S.error[(at as CompiledExperience).rank])}`;
  } else if (outcome === NOT_IN_TRAFFIC) {
    reason = 'not-in-traffic';
  } else if (outcome === CAPPED || outcome === GROUP_TAKEN) {
    reason = 'capped';
    message = outcome === CAPPED ? (at as CompiledExperience).cappedMessage : (at as CompiledExperience).groupMessage;
  }
  return remember(plan, null, plan.defaultVariant, plan.defaultContent, reason, message);
}

function decidePlan(plan: SlotPlan): Decision {
  slotInit(plan);
  if (!I.personalizationAllowed) {
    // A QA override still applies (it uses nothing personal); nothing else is evaluated.
    for (const candidate of plan.experiments) if (S.stamp[candidate.rank] === S.epoch && S.outcome[candidate.rank] === FORCED) return served(plan, candidate, FORCED);
    return fallback(plan, NO_CONSENT, undefined);
  }
  advance(plan, plan.candidates.length - 1);
  let worst = SKIPPED;
  let worstAt: CompiledExperience | undefined;
  for (const candidate of plan.candidates) {
    const outcome = S.outcome[candidate.rank] as number;
    if (outcome >= HELD_OUT) return served(plan, candidate, outcome);
    if (outcome > worst) {
      worst = outcome;
      worstAt = candidate;
    }
  }
  return fallback(plan, worst, worstAt);
}

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
    start(compiled as CompiledBundle, input);
    return decidePlan(plan);
  } catch (error) {
    return bare(slot, 'error', errorMessage(error));
  } finally {
    release();
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
    start(compiled, input);
    for (let i = 0; i < decisions.length; i++) {
      const decision = decidePlan(compiled.slots[i] as SlotPlan);
      decisions[i] = decision;
      same = same && (previous as readonly Decision[])[i] === decision;
    }
  } catch (error) {
    return compiled.slots.map((plan) => bare(plan.slot, 'error', errorMessage(error)));
  } finally {
    release();
  }
  if (same) return previous as readonly Decision[];
  scratch.lastAll = Object.freeze(decisions);
  return scratch.lastAll;
}
