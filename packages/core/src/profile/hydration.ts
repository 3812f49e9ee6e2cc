import { dateTimeMs, notDateTime } from '../bundle/date-time.js';
import { ID } from '../bundle/device-check.js';
import { AttuneError } from '../errors.js';
import { isJson } from '../json-value.js';
import { any, array, number, object, record, string } from '../shape-check.js';
import { dict } from './records.js';

/**
 * Profile data computed outside the device (a CDP, the server, an email click), given to
 * `hydrate(input)` or fetched as JSON from `profileUrl`.
 */
export interface ProfileHydration {
  /** JSON values only; `null` removes the trait from the hydrated traits. */
  traits?: Record<string, unknown>;
  /** Segment ids computed elsewhere: at most 200, each 1–200 characters. */
  segments?: string[];
  /** Dimension → value → score (a finite number ≥ 0), e.g. `{ category: { shoes: 3 } }`. */
  affinities?: Record<string, Record<string, number>>;
  /** 1–200 characters. */
  userId?: string;
  /** ISO 8601 date-time with a zone; after it the hydrated segments and affinities no longer apply. */
  expiresAt?: string;
}

/** What the device keeps of all hydrations so far (see {@link mergeHydration}). */
export interface HydratedState {
  traits: Record<string, unknown>;
  segments: string[];
  affinities: Record<string, Record<string, number>>;
  /** When the segments and affinities stop applying; null: never. */
  expiresAtMs: number | null;
  updatedAtMs: number;
}

// Unknown keys are dropped: a newer server may send fields this SDK does not know yet.
const HYDRATION = object({
  'traits?': record(any),
  'segments?': array(ID, 0, 200),
  'affinities?': record(record(number(0))),
  'userId?': ID,
  'expiresAt?': string(),
});

/** What the structure leaves to code: JSON-only traits, a real expiry date. */
function valueProblems({ traits = {}, expiresAt }: ProfileHydration): string[] {
  const problems: string[] = [];
  for (const key in traits) if (!isJson(traits[key])) problems.push(`traits.${key}: invalid type (expected a JSON value)`);
  if (expiresAt !== undefined && Number.isNaN(dateTimeMs(expiresAt))) problems.push(notDateTime('expiresAt', expiresAt));
  return problems;
}

/**
 * Validates a hydration (an object given to `hydrate`, or the parsed JSON of `profileUrl`).
 * Unknown top-level keys are ignored, so servers can add fields without breaking older SDKs.
 * Throws `AttuneError('profile-invalid')` listing every problem with its path, e.g.
 * `segments[3]: invalid type (expected string)`; nothing of an invalid hydration is applied.
 * Trait values and the expiry date are checked once the structure is valid, so their problems
 * show up after the structural ones are fixed.
 */
export function parseHydration(input: unknown): ProfileHydration {
  const problems: string[] = [];
  const hydration = HYDRATION(input, '', (problem) => void problems.push(problem)) as ProfileHydration;
  if (problems.length === 0) problems.push(...valueProblems(hydration));
  if (problems.length === 0) return hydration;
  throw new AttuneError('profile-invalid', `The profile hydration was rejected. Fix: ${problems.join('; ')}`);
}

/**
 * What of a hydrated state applies at `nowMs`: once `expiresAtMs` has passed, the segments and
 * affinities no longer apply (they are dropped, and `expiresAtMs` becomes null); the traits stay,
 * as they describe the visitor rather than a computed score. `undefined` stays `undefined`.
 */
export function activeHydration(state: HydratedState | undefined, nowMs: number): HydratedState | undefined {
  return state && state.expiresAtMs !== null && nowMs >= state.expiresAtMs ? { ...state, segments: [], affinities: dict(), expiresAtMs: null } : state;
}

/**
 * Adds a validated hydration to the previous state (expired parts of it first removed, see
 * {@link activeHydration}):
 * - `traits` merge key by key, the newer value winning; a `null` value removes the key.
 * - `segments`, when present, replace the previous list (a computed set, not a log); duplicates are removed.
 * - `affinities` merge per dimension and per value, the newer score replacing the older.
 * - `expiresAt`, when present, replaces the previous expiry; without it, a previous expiry still
 *   pending also covers the merged segments and affinities.
 * - `userId` is not part of the state: the caller identifies the visitor with it.
 *
 * The result is the hydrated state alone: keeping traits the visitor gave on this device ahead of
 * hydrated ones is the caller's job. `next` must come from {@link parseHydration}. Inputs are not modified.
 */
export function mergeHydration(previous: HydratedState | undefined, next: ProfileHydration, nowMs: number): HydratedState {
  const base = activeHydration(previous, nowMs);
  const traits = dict(base?.traits, next.traits);
  for (const key in next.traits) if (next.traits[key] === null) delete traits[key];
  // Dicts (records.ts): a dimension or value named "constructor" or "__proto__" is data.
  const affinities = dict<Record<string, number>>(base?.affinities);
  for (const [dimension, scores] of Object.entries(next.affinities ?? {})) affinities[dimension] = dict(affinities[dimension], scores);
  return {
    traits,
    segments: next.segments ? [...new Set(next.segments)] : (base?.segments ?? []),
    affinities,
    expiresAtMs: next.expiresAt === undefined ? (base?.expiresAtMs ?? null) : Date.parse(next.expiresAt),
    updatedAtMs: nowMs,
  };
}
