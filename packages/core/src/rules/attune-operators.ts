import type { OperatorBuilders } from './compile-rule.js';
import { buildAffinity, buildCount, buildFirstSeen, buildLastSeen, buildSince } from './ops-profile.js';
import { buildEndsWith, buildSemVer, buildStartsWith } from './ops-text.js';
import { buildHour, buildInRange, buildWeekday } from './ops-time.js';
import type { HostBuilder } from './rule-args.js';
import type { RuleHost } from './rule-host.js';
export type { RuleHost } from './rule-host.js';

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
