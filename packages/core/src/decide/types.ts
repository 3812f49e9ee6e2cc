/** The types decisioning shares: compiled bundles, decide's input and its decisions (no code, so no import cycles). */
import type { Bundle, BundleCap, BundleContent, BundleExperience } from '../bundle/schema.js';
import type { RulePass } from '../rules/rule-pass.js';
import type { Builder } from '../rules/node.js';
import type { PassHost } from '../rules/pass-host.js';
import type { AssignableExperiment, AssignableMultivariate } from './assign-variant.js';
import type { DecisionState, StickyAssignment } from './decision-state.js';

/**
 * Why a slot got its content (docs/experiments.md "Decisions" documents each). `matched` and `forced` serve
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
  /** The model scores the deciding experience's audience read (`{"score": id}`), by model id. */
  readonly scores?: Readonly<Record<string, number>>;
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

/** Reports a rule that threw while deciding: `where` names it (`experience "x"`, `segment "s"`, `stage "t"`). */
export type RuleErrorHandler = (where: string, error: unknown) => void;

/** What rules read: the page context and the visitor's profile. */
export interface DecisionData {
  readonly context: unknown;
  readonly profile: unknown;
}

export interface CompiledFactor {
  readonly id: string;
  /** Level id → its content. */
  readonly levels: ReadonlyMap<string, BundleContent>;
}

/** What an experiment's variant serves, built once per variant, and its decisions once built. */
export interface ServedVariant {
  readonly info: ExperimentInfo;
  readonly parts: Readonly<Record<string, BundleContent>> | undefined;
  matched?: Decision;
  forced?: Decision;
  holdout?: Decision;
}

export interface CompiledExperiment {
  readonly id: string;
  readonly unit: 'anonymousId' | 'userId';
  /** Set for an experiment over the experience's variants. */
  readonly arms: AssignableExperiment | undefined;
  /** Set for a multivariate test. */
  readonly factorial: AssignableMultivariate | undefined;
  /** Variant id → content (the arms of a plain experiment). */
  readonly variants: ReadonlyMap<string, BundleContent>;
  readonly factors: readonly CompiledFactor[];
  /** Decision parts, built once per variant served. */
  readonly infos: Map<string, ServedVariant>;
  /** Set for a bandit (`allocation`): draws the arm of a unit let in by the gates. */
  readonly bandit: DrawArm | undefined;
}

/** A bandit's arm for a unit in a session, given the pass's data (decide/bandits.ts); throws AttuneError `bandit-invalid` when the bandit cannot be used. */
export type DrawArm = (unit: string, session: string, data: DecisionData) => string;

/** Makes a bandit experience's DrawArm (decide/bandits.ts's createBanditDraw): a part, loaded only for bundles with bandits. */
export type CreateDraw = (experience: BundleExperience, compile: (rule: unknown, where: string) => (data: unknown) => unknown) => DrawArm;

/** An experience, ready to decide: its rules compiled, its dates parsed, its rivals known. */
export interface CompiledExperience {
  readonly id: string;
  readonly slot: string;
  /** Position in the global decision order: priority, highest first, then bundle order. */
  readonly rank: number;
  readonly slotIndex: number;
  /** Position among its slot's candidates. */
  readonly position: number;
  readonly experience: BundleExperience;
  readonly startMs: number;
  readonly endMs: number;
  readonly caps: readonly BundleCap[];
  readonly group: string | undefined;
  /** Ranks of the experiences of its group in other slots that are decided before it. */
  readonly rivals: readonly number[];
  /** Ranks of every experience of its group in other slots. */
  readonly mates: readonly number[];
  /** The audience segment's index in the bundle's segments, -1 for none. */
  readonly segmentIndex: number;
  /** A trigger's `eligible` action names it: it is in its audience only once a trigger fired (DecisionState.eligible). */
  readonly byTrigger: boolean;
  /** The models its audience reads (`score` in its rule or its segment's), reported with its decisions. */
  readonly models: readonly string[];
  /** The audience rule (may throw), undefined for none. */
  readonly rule: ((data: unknown) => unknown) | undefined;
  /** What it serves without an experiment: its first variant that is not the default. */
  readonly variant: string;
  readonly content: BundleContent | null;
  readonly experiment: CompiledExperiment | undefined;
  readonly cappedMessage: string;
  readonly groupMessage: string;
}

/**
 * What evaluating an experience reads first, by rank, packed in a few arrays: a pass then touches
 * a few cache lines instead of every experience object (deciding is bound by memory latency).
 */
export interface ExperienceTable {
  readonly flags: Uint8Array;
  readonly segment: Int32Array;
  readonly rule: readonly (((data: unknown) => unknown) | undefined)[];
}

export interface SlotPlan {
  readonly slot: string;
  readonly index: number;
  /** Its experiences in decision order. */
  readonly candidates: readonly CompiledExperience[];
  /** Their ranks. */
  readonly ranks: Int32Array;
  /** Those that run an experiment (only they can be forced). */
  readonly experiments: readonly CompiledExperience[];
  /** The default variant of its highest-priority experience that names one. */
  readonly defaultVariant: string | null;
  readonly defaultContent: BundleContent | null;
}

/** Per-pass memory of `decide`, allocated once per bundle so deciding allocates nothing. */
export interface DecideScratch {
  epoch: number;
  readonly stamp: Int32Array;
  readonly outcome: Uint8Array;
  readonly variant: (string | undefined)[];
  readonly levels: (Readonly<Record<string, string>> | undefined)[];
  /** 1 when the assignment was computed on this pass rather than read from the state. */
  readonly fresh: Uint8Array;
  readonly error: unknown[];
  /** The last stored assignment found valid, per experience. */
  readonly checked: unknown[];
  /** The last assignment computed, per experience, and for which unit. */
  readonly assignedUnit: (string | undefined)[];
  readonly assigned: unknown[];
  readonly slotStamp: Int32Array;
  readonly slotCursor: Int32Array;
  readonly slotDone: Uint8Array;
  /** Decisions built once per candidate and outcome (see decision-values.ts), returned again. */
  readonly candidateDecisions: (Decision | undefined)[];
  /** Decisions built once per slot and outcome (see decision-values.ts), returned again. */
  readonly slotDecisions: (Decision | undefined)[];
  lastAll: readonly Decision[] | undefined;
  lastMembership: readonly string[] | undefined;
  dayFromMs: number;
  dayToMs: number;
  dayKey: number;
}

/** The candidate's place in its experiment; returns WON, HELD_OUT or NOT_IN_TRAFFIC (see outcomes.ts). */
export type ExperimentOutcome = (scratch: DecideScratch, candidate: CompiledExperience, experiment: CompiledExperiment, input: DecideInput) => number;

/** A validated bundle with every rule compiled once, indexed for `decide`. */
export interface CompiledBundle {
  readonly bundle: Bundle;
  readonly expiresAtMs: number | undefined;
  /** Every experience in decision order (index = rank). */
  readonly experiences: readonly CompiledExperience[];
  readonly table: ExperienceTable;
  /** Slots in the order of their first experience in the bundle. */
  readonly slots: readonly SlotPlan[];
  readonly bySlot: ReadonlyMap<string, SlotPlan>;
  /** Experiment id → its experience. */
  readonly experiments: ReadonlyMap<string, CompiledExperience>;
  readonly segmentIds: readonly string[];
  readonly pass: RulePass;
  /**
   * Compiles another rule as the bundle's own (its operators, segments and per-pass reads: a
   * model's features read what rules read); throws `bundle-rule-invalid` naming `where`.
   */
  readonly compile: (rule: unknown, where: string) => (data: unknown) => unknown;
  /**
   * An experiment's outcome for a candidate (the experiments part, decide/experiment-outcome.ts;
   * without it, one that throws: an experiment's experience serves its default, reason `error`).
   */
  readonly experimentOutcome: ExperimentOutcome;
  /** The score of the bundle's model `id` for `data` in the current pass (cached; throws AttuneError `model-invalid` when the model cannot score). */
  readonly score: (id: string, data: unknown) => number;
  /**
   * Starts an evaluation pass. With `withStage`, evaluates the journey stages on `data` and returns
   * the data every other rule of the pass reads, `profile.stage` set (when the bundle has stages).
   */
  begin(data: DecisionData, onRuleError: RuleErrorHandler, withStage: boolean): DecisionData;
  /** Whether any segment or audience rule may read `profile.stage` (else passes skip the stages). */
  readonly readsStage: boolean;
  /** The stage found by the last `begin`, null when none matched or the bundle has none. */
  readonly stage: () => string | null;
  readonly scratch: DecideScratch;
}

/**
 * What one page view has decided and shown. The client starts a new one on every page view
 * (including SPA navigations); decisions within a page view stay consistent with it.
 */
export interface PageView {
  /** Exclusion group → the experience that took it: no other experience of the group is served until the next page view. */
  readonly claims: Map<string, string>;
  /** Experiments whose exposure was reported (at most once per page view). */
  readonly exposed: Set<string>;
  /** Experiences whose impression was counted (at most once per page view); their caps ignore that impression. */
  readonly shown: Set<string>;
}

/** A bundle's models as its rules use them (decide/scores.ts). */
export interface BundleScores {
  /** The `score` operator's builder. */
  readonly builder: Builder;
  /** Compiles every model (after the segments are defined: features may read them). */
  compileAll(compile: (rule: unknown, where: string) => (data: unknown) => unknown): void;
  /** The score of model `id` in the current pass (cached; throws what scoring throws). */
  score(id: string, data: unknown): number;
}

/** Makes a bundle's BundleScores (decide/scores.ts's createBundleScores): a part, loaded only for bundles with models. */
export type CreateScores = (models: readonly unknown[], host: Pick<PassHost, 'perData'>) => BundleScores;
