/** Rule hosts for the Attune operator tests: a hand-made one, and one backed by a real profile. */
import { attuneOperators, type RuleHost } from '../../src/rules/attune-operators.js';
import { compileRule, type CompiledRule } from '../../src/rules/compile-rule.js';
import { DEFAULT_PROFILE_RULES, type ProfileRules } from '../../src/profile/profile-data.js';
import { createProfileState } from '../../src/profile/profile-state.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Sunday 4 January 2026, 15:00:00 UTC. */
export const NOW = Date.UTC(2026, 0, 4, 15, 0, 0);

export interface FakeEvent {
  name: string;
  t: number;
  properties?: Record<string, unknown>;
}

/** A host whose counts are exact, over a plain list of events; `now` can be moved. */
export function fakeHost(events: FakeEvent[] = [], clock = { now: NOW }): RuleHost & { clock: { now: number } } {
  const named = (name: string) => events.filter((e) => e.name === name);
  return {
    clock,
    now: () => clock.now,
    count: (name, windowMs) => named(name).filter((e) => windowMs === undefined || e.t >= clock.now - windowMs).length,
    stats: (name) => {
      const times = named(name).map((e) => e.t);
      return times.length ? { count: times.length, firstSeen: Math.min(...times), lastSeen: Math.max(...times) } : undefined;
    },
    recent: () => events.map((e, i) => ({ id: `e${i}`, name: e.name, t: e.t, properties: e.properties ?? {} })),
  };
}

/**
 * A host over a real local profile (what the client does): bucketed counts, snapshot stats and the
 * ring buffer of recent events. `data()` is what rules see.
 */
export function profileHost(rules: ProfileRules = DEFAULT_PROFILE_RULES, clock = { now: NOW }) {
  const state = createProfileState(rules, (error) => {
    throw error; // A test profile is always readable.
  });
  let id = 0;
  const host: RuleHost = {
    now: () => clock.now,
    count: (name, windowMs) => state.count(name, windowMs, clock.now),
    stats: (name) => {
      const events = state.get(clock.now).events;
      return Object.hasOwn(events, name) ? events[name] : undefined;
    },
    recent: () => state.stored().data.recent,
  };
  return {
    clock,
    host,
    state,
    track(name: string, t: number, properties: Record<string, unknown> = {}): void {
      state.apply({ id: `ev-${String(++id).padStart(6, '0')}`, name, timestampMs: t, properties });
    },
    data: () => ({ context: {}, profile: state.get(clock.now) }),
  };
}

/** Compiles with the Attune operators bound to `host`. */
export const compileWith = (rule: unknown, host: RuleHost = fakeHost()): CompiledRule => compileRule(rule, { builders: attuneOperators(host) });

/** Compiles and evaluates once. */
export const evaluate = (rule: unknown, data?: unknown, host: RuleHost = fakeHost()): unknown => compileWith(rule, host)(data);
