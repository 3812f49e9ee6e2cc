/**
 * What decisions remember between page views, owned and persisted by the client: sticky experiment
 * assignments and frequency-cap counters. Plain JSON (it round-trips through JSON.stringify) and
 * never mutated here: every update returns a new state.
 */
import { own as ownValue } from '../profile/records.js';

/** A visitor's assignment to one experiment, kept until the experiment id changes. */
export interface StickyAssignment {
  /** The unit id that was hashed (anonymous or user id): another visitor on this device is assigned afresh. */
  unit: string;
  /** The variant id (multivariate: `factor=level|factor=level`), or `"holdout"`. */
  variant: string;
  /** Multivariate tests: the level of each factor. */
  levels?: Record<string, string>;
  /** When it was assigned, epoch ms. */
  at: number;
}

/** Impressions of one experience, for its frequency caps. */
export interface CapCounter {
  lifetime: number;
  /** The local calendar day `day` counts, as the number yyyymmdd. */
  dayKey: number;
  day: number;
  /** The session `session` counts. */
  sessionId: string;
  session: number;
}

export interface DecisionState {
  /** Experiment id → sticky assignment. */
  readonly assignments: Readonly<Record<string, StickyAssignment>>;
  /** Experience id → impressions. */
  readonly caps: Readonly<Record<string, CapCounter>>;
  /** Trigger id → its firings and when it last fired (triggers/run-triggers.ts). */
  readonly triggers?: Readonly<Record<string, CapCounter & { lastAt: number; inside?: boolean }>>;
  /** Experience id → when a trigger's `eligible` action made it eligible (epoch ms). */
  readonly eligible?: Readonly<Record<string, number>>;
}

export const EMPTY_DECISION_STATE: DecisionState = Object.freeze({ assignments: Object.freeze({}), caps: Object.freeze({}) });

/** An own property only: ids such as "constructor" must not read Object.prototype. */
export { ownValue };

/** The local calendar day of `nowMs` as yyyymmdd (the device's time zone: caps per day follow the visitor's midnight). */
export function localDayKey(nowMs: number): number {
  const date = new Date(nowMs);
  return date.getFullYear() * 10_000 + (date.getMonth() + 1) * 100 + date.getDate();
}

/** Impressions counted against a cap `per` unit now (a new day or session starts from 0). */
export function impressionsPer(counter: CapCounter | undefined, per: 'session' | 'day' | 'lifetime', sessionId: string, dayKey: number): number {
  if (!counter) return 0;
  if (per === 'lifetime') return counter.lifetime;
  if (per === 'day') return counter.dayKey === dayKey ? counter.day : 0;
  return counter.sessionId === sessionId ? counter.session : 0;
}

/**
 * Counts one impression of an experience (its content was shown) in session `sessionId` at
 * `nowMs`. The day count restarts at local midnight, the session count in a new session.
 */
export function recordImpression(state: DecisionState, experienceId: string, sessionId: string, nowMs: number): DecisionState {
  const previous = ownValue(state.caps, experienceId);
  const dayKey = localDayKey(nowMs);
  const counter: CapCounter = {
    lifetime: (previous?.lifetime ?? 0) + 1,
    dayKey,
    day: impressionsPer(previous, 'day', sessionId, dayKey) + 1,
    sessionId,
    session: impressionsPer(previous, 'session', sessionId, dayKey) + 1,
  };
  // A computed key creates an own property even for "__proto__".
  return { ...state, caps: { ...state.caps, [experienceId]: counter } };
}

/** Stores an experiment assignment (what `decide` reports through `onAssign`). */
export function recordAssignment(state: DecisionState, experimentId: string, assignment: StickyAssignment): DecisionState {
  return { ...state, assignments: { ...state.assignments, [experimentId]: assignment } };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function isAssignment(value: unknown): value is StickyAssignment {
  if (value === null || typeof value !== 'object') return false;
  const { unit, variant, levels, at } = value as Record<string, unknown>;
  const levelsOk =
    levels === undefined ||
    (levels !== null && typeof levels === 'object' && !Array.isArray(levels) && Object.values(levels).every((level) => typeof level === 'string'));
  return typeof unit === 'string' && typeof variant === 'string' && typeof at === 'number' && levelsOk;
}

function isCounter(value: unknown): value is CapCounter {
  if (value === null || typeof value !== 'object') return false;
  const { lifetime, dayKey, day, sessionId, session } = value as Record<string, unknown>;
  return isCount(lifetime) && isCount(dayKey) && isCount(day) && typeof sessionId === 'string' && isCount(session);
}

/** Sets an own, plain property, even for the key "__proto__" (an assignment would set the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The own entries of `value` (an object) that `keep` accepts, as a new record; `{}` for anything else. */
export function keptEntries<T>(value: unknown, keep: (entry: unknown, key: string) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, entry] of Object.entries(value)) if (keep(entry, key)) setOwn(out, key, entry as T);
  return out;
}

/**
 * Reads a stored state back (e.g. `JSON.parse` of what was persisted): entries that are not
 * well-formed are dropped, anything else gives an empty state. Never throws.
 */
export function parseDecisionState(value: unknown): DecisionState {
  if (value === null || typeof value !== 'object') return EMPTY_DECISION_STATE;
  const { assignments, caps, triggers, eligible } = value as Record<string, unknown>;
  const state: DecisionState = { assignments: keptEntries(assignments, isAssignment), caps: keptEntries(caps, isCounter) };
  if (triggers !== undefined) Object.assign(state, { triggers: keptEntries(triggers, (entry) => isCounter(entry) && typeof (entry as { lastAt?: unknown }).lastAt === 'number') });
  if (eligible !== undefined) Object.assign(state, { eligible: keptEntries(eligible, (at) => typeof at === 'number') });
  return state;
}
