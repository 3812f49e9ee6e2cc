import type { OperatorBuilders } from './compile-rule.js';
import type { EventStats } from '../profile/profile.js';
import type { RecentEvent } from '../profile/recent-events.js';

/**
 * What Attune's personalization operators read besides the rule's data: the decision's clock and
 * the parts of the profile a snapshot does not carry (time-bucketed counts, the raw recent events).
 * The client implements it over the live profile; tests and Node callers can pass their own.
 */
export interface RuleHost {
  /** The decision's clock, epoch milliseconds. */
  now(): number;
  /** Events named `name` in the last `windowMs` before `now()`; the lifetime count without a window. */
  count(name: string, windowMs: number | undefined): number;
  /** Lifetime count and first/last time of an event name, or undefined when never seen. */
  stats(name: string): EventStats | undefined;
  /** The recent raw events (ring buffer), oldest first. */
  recent(): readonly RecentEvent[];
}

/** A host with an empty profile: what rules see before consent or outside the client. */
export const EMPTY_RULE_HOST: RuleHost = {
  now: () => Date.now(),
  count: () => 0,
  stats: () => undefined,
  recent: () => [],
};

/**
 * Builders of Attune's personalization operators (count, since, first_seen, last_seen, affinity,
 * starts_with, ends_with, sem_ver, hour, weekday, in_range), bound to a host.
 * STUB: being implemented (issue 5); returns no operator yet.
 */
export function attuneOperators(host: RuleHost): OperatorBuilders {
  void host;
  return () => undefined;
}
