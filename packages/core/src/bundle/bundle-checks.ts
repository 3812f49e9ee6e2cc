import { finish } from './run-in-slices.js';
import { AttuneError, describeValue } from '../errors.js';
import { array, object, oneOf, whole, type Report } from '../shape-check.js';
import { dateTimeMs, notDateTime } from './date-time.js';
import { HOLDOUT, VERSION_DIGITS } from './format.js';
import type { Bundle, BundleExperience } from './schema.js';

/*
 * The checks both bundle validators share: validateBundle (zod, the reference) and the device's
 * compact check (device-check.ts). Each checks the structure its own way, then the same code
 * checks what the schema leaves open and what it cannot express.
 */

function checkDate(value: string | undefined, where: string, report: Report): number | undefined {
  if (value === undefined) return undefined;
  const ms = dateTimeMs(value);
  if (Number.isNaN(ms)) report(notDateTime(where, value));
  return ms;
}

function checkUniqueIds(list: readonly { id: string }[] | undefined, field: string, report: Report): void {
  const seen = new Set<string>();
  list?.forEach((item, i) => {
    if (seen.has(item.id)) report(`${field}[${i}]: id "${item.id}" is used twice in ${field}`);
    seen.add(item.id);
  });
}

/** Variants or levels: unique ids, content that exists; level ids may not hold the separators of a multivariate variant. */
function checkArms(arms: readonly { id: string; content: string }[], kind: 'variant' | 'level', at: string, bundle: Bundle, report: Report): Set<string> {
  const ids = new Set<string>();
  for (const arm of arms) {
    if (ids.has(arm.id)) report(`${at}: ${kind} id "${arm.id}" is used twice`);
    ids.add(arm.id);
    if (kind === 'level' && unsafe(arm.id)) report(`${at}: level id "${arm.id}" may not contain "=" or "|"`);
    if (!Object.hasOwn(bundle.content, arm.content)) report(`${at}: ${kind} "${arm.id}" names content "${arm.content}" that is not in content`);
  }
  return ids;
}

/** A multivariate variant is reported as "factor=level|factor=level", so these characters would be ambiguous. */
const unsafe = (id: string): boolean => id.includes('=') || id.includes('|');

/** Relative weights (default 1) must leave some arm a chance. */
function checkWeights(arms: readonly { weight?: number | undefined }[], where: string, report: Report): void {
  if (arms.reduce((sum, arm) => sum + (arm.weight ?? 1), 0) <= 0) report(`${where}: the weights sum to 0; give at least one a weight above 0`);
}

/**
 * Segment ids a rule names with a constant `{"segment": "id"}`. A loop over a stack, not
 * recursion: a rule nested thousands of levels deep must reach the compiler's "nested too deeply"
 * error, not overflow the call stack here. An array's entries come as ["0", item]: never "segment".
 * Each node is visited once: a bundle given as an object may hold a rule that contains itself.
 */
function segmentReferences(rule: unknown): string[] {
  const out: string[] = [];
  const todo = rule !== null && typeof rule === 'object' ? [rule] : [];
  const seen = new Set<unknown>();
  while (todo.length > 0) {
    const node = todo.pop() as Record<string, unknown>;
    if (seen.has(node)) continue;
    seen.add(node);
    // Keys and a lookup rather than Object.entries: no pair array per key (the walk is the largest
    // cost of checking a bundle with thousands of segments). Only objects go on the stack.
    for (const key of Object.keys(node)) {
      const value = node[key];
      const id = Array.isArray(value) ? value[0] : value;
      if (key === 'segment' && typeof id === 'string') out.push(id);
      if (value !== null && typeof value === 'object') todo.push(value);
    }
  }
  return out;
}

/** A segment that needs itself (directly or through others) has no meaning: name the loop. */
function* checkSegmentCycles(bundle: Bundle, report: Report): Generator<void, void> {
  const segments = bundle.segments ?? [];
  const refs = new Map<string, string[]>();
  for (const [i, segment] of segments.entries()) {
    refs.set(segment.id, segmentReferences(segment.when));
    if (i % STEP === STEP - 1) yield;
  }
  const done = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    const at = path.indexOf(id);
    if (at >= 0) {
      const index = segments.findIndex((segment) => segment.id === id);
      report(`segments[${index}] ("${id}"): refers to itself through ${[...path.slice(at), id].join(' → ')}`);
      return;
    }
    if (done.has(id) || !refs.has(id)) return;
    path.push(id);
    for (const next of refs.get(id)!) visit(next, path);
    path.pop();
    done.add(id);
  };
  for (const segment of segments) visit(segment.id, []);
}

function checkExperiment(experience: BundleExperience, where: string, bundle: Bundle, experimentIds: Map<string, string>, report: Report): void {
  const experiment = experience.experiment;
  if (!experiment) return;
  const owner = experimentIds.get(experiment.id);
  if (owner !== undefined) report(`${where}: experiment id "${experiment.id}" is already used by experience "${owner}"; experiment ids are unique across the bundle`);
  else experimentIds.set(experiment.id, experience.id);
  if (!experiment.factors) {
    checkWeights(experience.variants, `${where}: experiment "${experiment.id}" variants`, report);
    if (experience.variants.some((variant) => variant.id === HOLDOUT)) report(`${where}: variant id "${HOLDOUT}" is reserved for the experiment's holdout group; rename the variant`);
    return;
  }
  const factorIds = new Set<string>();
  experiment.factors.forEach((factor, f) => {
    const at = `${where}: experiment.factors[${f}] ("${factor.id}")`;
    if (factorIds.has(factor.id)) report(`${at}: factor id "${factor.id}" is used twice`);
    factorIds.add(factor.id);
    if (unsafe(factor.id)) report(`${at}: a factor id may not contain "=" or "|"`);
    checkWeights(factor.levels, `${at} levels`, report);
    checkArms(factor.levels, 'level', at, bundle, report);
  });
}

function checkExperience(experience: BundleExperience, i: number, bundle: Bundle, segmentIds: Set<string>, experimentIds: Map<string, string>, report: Report): void {
  const where = `experiences[${i}] ("${experience.id}")`;
  const segment = experience.audience?.segment;
  if (segment !== undefined && !segmentIds.has(segment)) report(`${where}: audience.segment "${segment}" is not defined in segments`);
  const variantIds = checkArms(experience.variants, 'variant', where, bundle, report);
  if (experience.default !== undefined && !variantIds.has(experience.default)) report(`${where}: default "${experience.default}" is not one of its variants`);
  const start = checkDate(experience.schedule?.start, `${where}: schedule.start`, report);
  const end = checkDate(experience.schedule?.end, `${where}: schedule.end`, report);
  if (start !== undefined && end !== undefined && start >= end) report(`${where}: schedule.start must be before schedule.end`);
  const caps = experience.cap === undefined ? [] : Array.isArray(experience.cap) ? experience.cap : [experience.cap];
  caps.forEach((cap, c) => {
    if (caps.findIndex((other) => other.per === cap.per) !== c) report(`${where}: cap[${c}]: a cap per ${cap.per} is given twice; keep one`);
  });
  checkExperiment(experience, where, bundle, experimentIds, report);
}

/** Items of a bundle's lists checked between two yields: a step well under a millisecond. */
export const STEP = 100;

/**
 * What the schema cannot express: references between ids, unique ids, real dates, usable
 * weights. In steps (each `yield`), so the client can check a large bundle in slices.
 */
function* semanticSteps(bundle: Bundle, report: Report): Generator<void, void> {
  const generated = checkDate(bundle.generatedAt, 'generatedAt', report);
  const expires = checkDate(bundle.expiresAt, 'expiresAt', report);
  if (generated !== undefined && expires !== undefined && expires <= generated) report('expiresAt: must be after generatedAt');
  for (const field of ['segments', 'stages', 'experiences', 'models', 'recommenders', 'triggers'] as const) checkUniqueIds(bundle[field], field, report);
  yield* checkSegmentCycles(bundle, report);
  const segmentIds = new Set((bundle.segments ?? []).map((segment) => segment.id));
  const experimentIds = new Map<string, string>();
  for (const [i, experience] of bundle.experiences.entries()) {
    checkExperience(experience, i, bundle, segmentIds, experimentIds, report);
    if (i % STEP === STEP - 1) yield;
  }
}

const CAP = object({ count: whole(1), per: oneOf('session', 'day', 'lifetime') });
const CAPS = array(CAP, 1);

/**
 * What the schema leaves open (see schema.ts): the version, each experience's cap (one or a list),
 * a text content's value. Checked on the value as given, whatever it is, beside the structure.
 */
export function openProblems(value: unknown, report: Report): void {
  if (value === null || typeof value !== 'object') return;
  const { version, experiences, content } = value as { version?: unknown; experiences?: unknown; content?: unknown };
  // A missing version is reported with the structure ("version: missing").
  const versionOk = version === undefined || (typeof version === 'number' ? Number.isInteger(version) && version >= 0 : typeof version === 'string' && VERSION_DIGITS.test(version));
  if (!versionOk) report(`version: ${describeValue(version)}: give a whole number >= 0 (or a string of 1 to 15 digits)`);
  if (Array.isArray(experiences)) {
    experiences.forEach((experience: { cap?: unknown } | null, i) => {
      const cap = experience?.cap;
      // One cap is reported at `cap`, a list's at `cap[i]`.
      if (cap !== undefined) (Array.isArray(cap) ? CAPS : CAP)(cap, `experiences[${i}].cap`, report);
    });
  }
  if (content !== null && typeof content === 'object') {
    for (const [id, entry] of Object.entries(content)) {
      if ((entry as { type?: unknown } | null)?.type === 'text' && typeof (entry as { value?: unknown }).value !== 'string') report(`content["${id}"].value: a text content's value must be a string`);
    }
  }
}

/**
 * The bundle once both its structure (`problems` holds what was found wrong with it) and its
 * meaning are valid; otherwise throws `AttuneError('bundle-invalid')` listing every problem with
 * its path, so an author can fix them all at once. The semantic checks need the whole structure
 * valid. In steps, as semanticSteps; `acceptBundle` runs them in one go.
 */
export function* acceptSteps(bundle: unknown, problems: string[]): Generator<void, Bundle> {
  if (problems.length === 0) yield* semanticSteps(bundle as Bundle, (problem) => void problems.push(problem));
  if (problems.length > 0) throw new AttuneError('bundle-invalid', `The bundle was rejected. Fix: ${problems.join('; ')}`);
  return bundle as Bundle;
}

/** {@link acceptSteps} in one go. */
export const acceptBundle = (bundle: unknown, problems: string[]): Bundle => finish(acceptSteps(bundle, problems));
