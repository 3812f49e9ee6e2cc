import type { BundleContent } from '../bundle/schema.js';
import { errorMessage } from '../errors.js';
import type { CompiledBundle, DecisionData, RuleErrorHandler, SlotPlan } from './compile-bundle.js';
import { decideSlot, endPass, startPass } from './decide-pass.js';
import type { DecisionState, StickyAssignment } from './decision-state.js';
import type { PageView } from './page-view.js';

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
