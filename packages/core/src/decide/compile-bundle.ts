import { AttuneError, asAttuneError, errorMessage } from '../errors.js';
import type { Bundle, BundleContent, BundleExperience } from '../bundle/schema.js';
import { EMPTY_RULE_HOST, profileOperators, type RuleHost } from '../rules/attune-operators.js';
import type { OperatorBuilders } from '../rules/node.js';
import { EXTRA_OPERATOR_NAMES } from '../rules/extra-operator-names.js';
import { compileNode } from '../rules/compile-node.js';
import { truthy } from '../rules/truthy.js';
import { PER_CANDIDATE, PER_SLOT } from './decision-values.js';
import type { Builder } from '../rules/node.js';
import { buildVar } from '../rules/ops-data.js';
import { createPassHost } from '../rules/pass-host.js';
import { mayReadStage } from './reads-stage.js';
import { createRulePass } from '../rules/rule-pass.js';
import { finish } from '../bundle/run-in-slices.js';
import { dataNode } from '../rules/node.js';
import { fail } from '../rules/rule-args.js';
import type { CompileRead } from '../models/read-features.js';
import type { BundleScores, CompiledBundle, CompiledExperience, CompiledExperiment, CreateDraw, CreateScores, DrawArm, DecideScratch, DecisionData, ExperienceTable, ExperimentOutcome, RuleErrorHandler, SlotPlan } from './types.js';

/** Code a bundle may need that is loaded only for bundles that use it (see client/load-parts.ts). */
export interface BundleParts {
  /** The bundle's models for the `score` operator (decide/scores.ts); without it, rules reading a score fail when they run. */
  scores?: CreateScores | undefined;
  /** Bandit experiments (decide/bandits.ts); without it, a bandit's experience fails when decided (its default, reason `error`). */
  bandits?: CreateDraw | undefined;
  /**
   * The operators off the critical path (rules/extra-operators.ts: arithmetic, arrays, strings,
   * text and time); without it, a rule using one fails when it runs (its default, reason `error`).
   */
  operators?: ((host: RuleHost) => OperatorBuilders) | undefined;
  /** Experiments (decide/experiment-outcome.ts); without it, an experiment's experience fails when decided (its default, reason `error`). */
  experiments?: ExperimentOutcome | undefined;
}

/** What the models part provides (models/models-part.ts). */
export type ModelsPart = Required<Pick<BundleParts, 'scores' | 'bandits'>>;

/** The model ids a rule reads with `{"score": id}` (a constant id), in order, once each. */
function modelsRead(rule: unknown, found: string[] = []): string[] {
  if (Array.isArray(rule)) for (const item of rule) modelsRead(item, found);
  else if (rule !== null && typeof rule === 'object') {
    for (const [op, args] of Object.entries(rule)) {
      const id = Array.isArray(args) ? args[0] : args;
      if (op === 'score' && typeof id === 'string') {
        if (!found.includes(id)) found.push(id);
      } else modelsRead(args, found);
    }
  }
  return found;
}

/** Without the models part: every rule reading a score fails (the default, with this reason), the rest of the bundle works. */
function unavailableScores(): BundleScores {
  const unavailable = (): never => {
    throw new AttuneError('model-invalid', 'the model code could not be loaded, so no model can score');
  };
  return { builder: (args) => dataNode(args, unavailable), compileAll() {}, score: unavailable };
}

const NO_MODELS: Builder = () => fail('score', 'the bundle has no models[].');

/** Without the operators part: a rule using one of its operators fails when it runs, the rest of the bundle works. */
const unavailableOperator = (name: string): Builder | undefined =>
  EXTRA_OPERATOR_NAMES.has(name)
    ? (args) =>
        dataNode(args, () => {
          throw new AttuneError('rule-invalid', `Rule operator "${name}": its code could not be loaded.`);
        })
    : undefined;

/** Without the experiments part: an experiment's experience fails when decided, the rest of the bundle works. */
const unavailableExperiments: ExperimentOutcome = () => {
  throw new AttuneError('bundle-invalid', 'the experiments code could not be loaded');
};
export type { RuleErrorHandler, DecisionData, CompiledFactor, ServedVariant, CompiledExperiment, CompiledExperience, ExperienceTable, SlotPlan, DecideScratch, CompiledBundle } from './types.js';

/** Bits of `ExperienceTable.flags`. */
export const SCHEDULED = 1;
export const AUDIENCE = 2;
/** Caps, a group or an experiment: checks that need the experience object. */
export const GATED = 4;
/** Eligible only once a trigger made it so (a trigger's `eligible` action names it). */
export const TRIGGERED = 8;

const parseDate = (value: string | undefined, fallback: number): number => (value === undefined ? fallback : Date.parse(value));

function contentOf(bundle: Bundle, id: string): BundleContent | null {
  return Object.hasOwn(bundle.content, id) ? (bundle.content[id] as BundleContent) : null;
}

/** The bandit of an experience, or a drawer that throws why it cannot draw (only that experience fails). */
function banditOf(experience: BundleExperience, parts: BundleParts, compile: CompileRead): DrawArm | undefined {
  if (!experience.experiment?.allocation) return undefined;
  let problem: AttuneError;
  try {
    if (parts.bandits) return parts.bandits(experience, compile);
    problem = new AttuneError('bandit-invalid', 'the bandit code could not be loaded');
  } catch (error) {
    problem = asAttuneError(error, 'bandit-invalid');
  }
  return () => {
    throw problem;
  };
}

function compileExperiment(bundle: Bundle, experience: BundleExperience, parts: BundleParts, compile: CompileRead): CompiledExperiment | undefined {
  const experiment = experience.experiment;
  if (!experiment) return undefined;
  const variants = new Map<string, BundleContent>();
  for (const variant of experience.variants) {
    const content = contentOf(bundle, variant.content);
    if (content) variants.set(variant.id, content);
  }
  const factors = (experiment.factors ?? []).map((factor) => ({
    id: factor.id,
    levels: new Map(factor.levels.map((level) => [level.id, contentOf(bundle, level.content) as BundleContent])),
  }));
  const shares = { id: experiment.id, traffic: experiment.traffic, holdout: experiment.holdout };
  const arms = (list: readonly { id: string; weight?: number | undefined }[]) => list.map(({ id, weight }) => ({ id, weight }));
  return {
    id: experiment.id,
    unit: experiment.unit ?? 'anonymousId',
    arms: experiment.factors ? undefined : { ...shares, variants: arms(experience.variants) },
    factorial: experiment.factors ? { ...shares, factors: experiment.factors.map((factor) => ({ id: factor.id, levels: arms(factor.levels) })) } : undefined,
    variants,
    factors,
    infos: new Map(),
    bandit: banditOf(experience, parts, compile),
  };
}

/** `length` slots, each undefined (filled, not holes). */
const unset = <T>(length: number): (T | undefined)[] => new Array<T | undefined>(length).fill(undefined);

function createScratch(experiences: number, slots: number): DecideScratch {
  return {
    epoch: 0,
    stamp: new Int32Array(experiences),
    outcome: new Uint8Array(experiences),
    variant: unset(experiences),
    levels: unset(experiences),
    fresh: new Uint8Array(experiences),
    error: unset(experiences),
    checked: unset(experiences),
    assignedUnit: unset(experiences),
    assigned: unset(experiences),
    slotStamp: new Int32Array(slots),
    slotCursor: new Int32Array(slots),
    slotDone: new Uint8Array(slots),
    candidateDecisions: unset(experiences * PER_CANDIDATE),
    slotDecisions: unset(slots * PER_SLOT),
    lastAll: undefined,
    lastMembership: undefined,
    dayFromMs: 0,
    dayToMs: 0,
    dayKey: 0,
  };
}

/**
 * Compiles every segment, stage and audience rule of a valid bundle once, and precomputes what
 * deciding needs: the global decision order, each slot's candidates and default, exclusion-group
 * rivals, schedules. An unknown operator or a malformed rule rejects the bundle as a whole
 * (`bundle-rule-invalid`), naming where it is.
 *
 * @param host - What Attune's operators (`count`, `since`, ...) read: the live profile and the
 *   decision clock. Without one they see an empty profile.
 */
export function compileBundle(bundle: Bundle, host: RuleHost = EMPTY_RULE_HOST, parts: BundleParts = {}): CompiledBundle {
  return finish(compileSteps(bundle, host, parts));
}

/**
 * {@link compileBundle} in steps (each `yield`) of about one rule or experience, so a large bundle
 * compiles in slices between which the page runs (see run-in-slices.ts). No step is quadratic
 * in the bundle's size: slots, groups and segments are looked up, not searched.
 */
export function* compileSteps(bundle: Bundle, host: RuleHost = EMPTY_RULE_HOST, parts: BundleParts = {}): Generator<void, CompiledBundle> {
  // Content is shared by every decision that serves it: callers must not be able to change it.
  for (const content of Object.values(bundle.content)) Object.freeze(content);

  const segments = bundle.segments ?? [];
  const segmentIds = segments.map((segment) => segment.id);
  const pass = createRulePass(segmentIds);
  const passHost = createPassHost(host);
  const attune = profileOperators(passHost);
  const extra = parts.operators?.(passHost) ?? unavailableOperator;
  const readVar: Builder = (args) => buildVar(args, pass.read);
  const models = bundle.models ?? [];
  const scores = models.length > 0 ? (parts.scores ?? unavailableScores)(models, passHost) : undefined;
  const builders = (name: string) => (name === 'segment' ? pass.builder : name === 'score' ? (scores?.builder ?? NO_MODELS) : (attune(name) ?? extra(name)));

  const compileAt = (rule: unknown, where: string): ((data: unknown) => unknown) => {
    try {
      return compileNode(rule, { builders, var: readVar }).run;
    } catch (cause) {
      throw new AttuneError('bundle-rule-invalid', `The bundle was rejected: ${where}: ${cause instanceof RangeError ? 'nested too deeply' : errorMessage(cause)}`, cause);
    }
  };

  const stages = (bundle.stages ?? []).map((stage) => ({ id: stage.id, test: compileAt(stage.when, `stage "${stage.id}"`) }));
  // Whether any segment or audience rule may read profile.stage: noted as each rule compiles.
  let readsStage = false;
  const segmentIndex = new Map(segmentIds.map((id, i) => [id, i]));
  for (const [i, segment] of segments.entries()) {
    pass.define(i, compileAt(segment.when, `segment "${segment.id}"`));
    readsStage ||= stages.length > 0 && mayReadStage(segment.when);
    yield;
  }

  // After the segments are defined: features may read them (and rules read scores only when deciding).
  if (scores) {
    scores.compileAll(compileAt);
    yield;
  }

  // The global decision order: priority, highest first; the bundle's order breaks ties (sort is
  // stable since ES2019, and priorities are finite numbers: the schema refuses NaN and Infinity).
  const ordered = [...bundle.experiences].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));

  // In the order of their first experience in the bundle (a Set keeps insertion order).
  const slotNames = [...new Set(bundle.experiences.map((experience) => experience.slot))];
  const slotIndex = new Map(slotNames.map((slot, i) => [slot, i]));
  /** Each slot's candidates, and each exclusion group's experiences, in decision order. */
  const candidatesOf = slotNames.map((): CompiledExperience[] => []);
  const groups = new Map<string, CompiledExperience[]>();

  const byTrigger = new Set((bundle.triggers ?? []).flatMap((trigger) => trigger.actions.map((action) => action.eligible).filter((id) => id !== undefined)));
  const experiences: CompiledExperience[] = [];
  for (const [rank, experience] of ordered.entries()) {
    const segment = experience.audience?.segment;
    const rule = experience.audience?.rule;
    const test = rule === undefined ? undefined : compileAt(rule, `experience "${experience.id}" audience.rule`);
    readsStage ||= stages.length > 0 && mayReadStage(rule);
    const served = experience.variants.find((variant) => variant.id !== experience.default) ?? experience.variants[0]!;
    const index = slotIndex.get(experience.slot)!;
    const cap = experience.cap;
    const group = experience.group;
    const compiled: CompiledExperience = {
      id: experience.id,
      slot: experience.slot,
      rank,
      slotIndex: index,
      position: candidatesOf[index]!.length,
      experience,
      startMs: parseDate(experience.schedule?.start, -Infinity),
      endMs: parseDate(experience.schedule?.end, Infinity),
      caps: cap === undefined ? [] : Array.isArray(cap) ? cap : [cap],
      group,
      rivals: [],
      mates: [],
      segmentIndex: segmentIndex.get(segment!) ?? -1,
      byTrigger: byTrigger.has(experience.id),
      models: models.length === 0 ? [] : modelsRead([rule, segments.find((s) => s.id === segment)?.when]),
      rule: test,
      variant: served.id,
      content: contentOf(bundle, served.content),
      experiment: compileExperiment(bundle, experience, parts, compileAt),
      cappedMessage: `experience "${experience.id}" reached its frequency cap`,
      groupMessage: `experience "${experience.id}": exclusion group "${group ?? ''}" is already used on this page view`,
    };
    experiences.push(compiled);
    candidatesOf[index]!.push(compiled);
    if (group !== undefined) {
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group)!.push(compiled);
    }
    yield;
  }

  for (const members of groups.values()) {
    for (const experience of members) {
      for (const other of members) {
        if (other.slotIndex === experience.slotIndex) continue;
        (experience.mates as number[]).push(other.rank);
        if (other.rank < experience.rank) (experience.rivals as number[]).push(other.rank);
      }
      yield;
    }
  }

  const table: ExperienceTable = {
    flags: Uint8Array.from(experiences, (e) => (e.startMs > -Infinity || e.endMs < Infinity ? SCHEDULED : 0) | (e.segmentIndex >= 0 || e.rule || e.byTrigger ? AUDIENCE : 0) | (e.byTrigger ? TRIGGERED : 0) | (e.caps.length > 0 || e.group !== undefined || e.experiment ? GATED : 0)),
    segment: Int32Array.from(experiences, (e) => e.segmentIndex),
    rule: experiences.map((e) => e.rule),
  };

  const slots: SlotPlan[] = slotNames.map((slot, index) => {
    const candidates = candidatesOf[index]!;
    const owner = candidates.find((candidate) => candidate.experience.default !== undefined)?.experience;
    const variant = owner?.variants.find((v) => v.id === owner.default);
    return {
      slot,
      index,
      candidates,
      ranks: Int32Array.from(candidates, (candidate) => candidate.rank),
      experiments: candidates.filter((candidate) => candidate.experiment !== undefined),
      defaultVariant: variant?.id ?? null,
      defaultContent: variant ? contentOf(bundle, variant.content) : null,
    };
  });

  // profile.stage: the data with the stage set is rebuilt only when the input or the stage changes.
  let stage: string | null = null;
  let lastContext: unknown;
  let lastProfile: unknown;
  let lastStage: string | null = null;
  let lastSeen: DecisionData | undefined;
  const begin = (data: DecisionData, onRuleError: RuleErrorHandler, withStage: boolean): DecisionData => {
    passHost.begin();
    pass.begin(data);
    stage = null;
    if (stages.length === 0 || !withStage) return data;
    for (const candidate of stages) {
      try {
        if (truthy(candidate.test(data))) stage = candidate.id;
      } catch (error) {
        onRuleError(`stage "${candidate.id}"`, error);
      }
    }
    if (data.context !== lastContext || data.profile !== lastProfile || stage !== lastStage || !lastSeen) {
      const profile = data.profile !== null && typeof data.profile === 'object' ? data.profile : {};
      lastSeen = { context: data.context, profile: { ...profile, stage } };
      lastContext = data.context;
      lastProfile = data.profile;
      lastStage = stage;
    }
    // Segments evaluated by stage rules did not see the stage: start afresh.
    pass.begin(lastSeen);
    return lastSeen;
  };

  return {
    bundle,
    expiresAtMs: bundle.expiresAt === undefined ? undefined : Date.parse(bundle.expiresAt),
    experiences,
    table,
    slots,
    readsStage,
    bySlot: new Map(slots.map((plan) => [plan.slot, plan])),
    experiments: new Map(experiences.filter((e) => e.experiment).map((e) => [e.experiment!.id, e])),
    segmentIds,
    pass,
    compile: compileAt,
    experimentOutcome: parts.experiments ?? unavailableExperiments,
    score:
      scores?.score ??
      ((id) => {
        throw new AttuneError('model-invalid', `the bundle has no model "${id}"`);
      }),
    begin,
    stage: () => stage,
    scratch: createScratch(experiences.length, slots.length),
  };
}
