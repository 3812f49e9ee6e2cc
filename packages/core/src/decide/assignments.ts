import type { CompiledBundle, DecisionUnits } from './types.js';
import { keptEntries, ownValue, type CapCounter, type DecisionState, type StickyAssignment } from './decision-state.js';
import { isStillValid, parseVariantKey } from './sticky.js';
import { dict } from '../profile/records.js';

let cachedFor: { compiled: CompiledBundle; assignments: DecisionState['assignments']; anonymousId: unknown; userId: unknown } | undefined;
let cached: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The visitor's current experiment assignments, `{ experimentId: variant }` (`"holdout"` for the
 * holdout group), for experiments of the bundle whose stored assignment still applies (same unit
 * id when `units` is given, variant still in the bundle). The client stamps it on every event so
 * a report needs no joins. Cached: the same object while the inputs are the same.
 */
export function activeAssignments(compiled: CompiledBundle, state: DecisionState, units?: DecisionUnits): Readonly<Record<string, string>> {
  const key = { compiled, assignments: state.assignments, anonymousId: units?.anonymousId, userId: units?.userId };
  if (cachedFor && cachedFor.compiled === key.compiled && cachedFor.assignments === key.assignments && cachedFor.anonymousId === key.anonymousId && cachedFor.userId === key.userId) return cached;
  const active = dict<string>();
  for (const [id, experience] of compiled.experiments) {
    const experiment = experience.experiment!;
    const stored = ownValue(state.assignments, id);
    if (stored === undefined || !isStillValid(experiment, stored)) continue;
    if (units !== undefined && stored.unit !== (experiment.unit === 'userId' ? units.userId : units.anonymousId)) continue;
    active[id] = stored.variant;
  }
  cachedFor = key;
  cached = Object.freeze(active);
  return cached;
}

/**
 * Drops what no longer applies to this bundle: assignments of experiments it does not run (an
 * experiment whose id changed starts afresh) and cap counters of experiences it does not have.
 * Returns `state` itself when nothing was dropped.
 */
export function pruneDecisionState(compiled: CompiledBundle, state: DecisionState): DecisionState {
  const experienceIds = new Set(compiled.experiences.map((experience) => experience.id));
  let dropped = false;
  /** Keeps the entries of known ids; notes a drop. */
  const known = (ids: { has(id: string): boolean }) => (_: unknown, id: string) => ids.has(id) || !(dropped = true);
  const assignments = keptEntries<StickyAssignment>(state.assignments, known(compiled.experiments));
  const caps = keptEntries<CapCounter>(state.caps, known(experienceIds));
  return dropped ? { assignments, caps } : state;
}

/**
 * Why a QA override `experimentId:variantId` cannot apply to this bundle, or undefined when it
 * can. `decide` ignores overrides that cannot apply; the client reports this message.
 */
export function forceProblem(compiled: CompiledBundle, experimentId: string, variantId: string): string | undefined {
  const experiment = compiled.experiments.get(experimentId)?.experiment;
  if (!experiment) return `the bundle has no experiment "${experimentId}"`;
  if (experiment.factorial !== undefined) {
    return parseVariantKey(experiment, variantId)
      ? undefined
      : `experiment "${experimentId}" is multivariate: force one level of every factor, e.g. "${experiment.factors.map((f) => `${f.id}=${[...f.levels.keys()][0]}`).join('|')}"`;
  }
  return experiment.variants.has(variantId) ? undefined : `experiment "${experimentId}" has no variant "${variantId}" (it has ${[...experiment.variants.keys()].map((v) => `"${v}"`).join(', ')})`;
}
