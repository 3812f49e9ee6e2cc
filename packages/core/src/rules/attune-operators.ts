import type { OperatorBuilders } from './compile-rule.js';
import type { EventStats } from '../profile/profile.js';
import type { RecentEvent } from '../profile/recent-events.js';
import { buildAffinity, buildCount, buildFirstSeen, buildLastSeen, buildSince } from './ops-profile.js';
import { buildEndsWith, buildSemVer, buildStartsWith } from './ops-text.js';
import { buildHour, buildInRange, buildWeekday } from './ops-time.js';
import type { HostBuilder } from './rule-args.js';

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

/** The Attune operator of that name, or undefined. A switch: no prototype key can pass for an operator. */
function attuneOperator(name: string): HostBuilder | undefined {
  switch (name) {
    case 'count': return buildCount;
    case 'since': return buildSince;
    case 'first_seen': return buildFirstSeen;
    case 'last_seen': return buildLastSeen;
    case 'affinity': return buildAffinity;
    case 'starts_with': return buildStartsWith;
    case 'ends_with': return buildEndsWith;
    case 'sem_ver': return buildSemVer;
    case 'hour': return buildHour;
    case 'weekday': return buildWeekday;
    case 'in_range': return buildInRange;
    default: return undefined;
  }
}

/**
 * Builders of Attune's personalization operators (count, since, first_seen, last_seen, affinity,
 * starts_with, ends_with, sem_ver, hour, weekday, in_range), bound to a host: pass them as
 * `compileRule(rule, { builders: attuneOperators(host) })`. Rules then read the host's clock and
 * history on every evaluation; a bad constant argument (an unparsable window, an unknown time
 * zone or semver operator) throws AttuneError `rule-invalid` at compile time, and bad data makes
 * an operator return false or null, never throw.
 */
export function attuneOperators(host: RuleHost): OperatorBuilders {
  return (name) => {
    const build = attuneOperator(name);
    return build && ((args) => build(args, host));
  };
}
