import type { OperatorBuilders } from './node.js';
import { buildAffinity, buildCount, buildFirstSeen, buildLastSeen, buildSince } from './ops-profile.js';
import { extraAttuneOperator } from './extra-operators.js';
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

/** Attune's profile operator of that name, or undefined. A switch: no prototype key can pass for an operator. */
function profileOperator(name: string): HostBuilder | undefined {
  switch (name) {
    case 'count': return buildCount;
    case 'since': return buildSince;
    case 'first_seen': return buildFirstSeen;
    case 'last_seen': return buildLastSeen;
    case 'affinity': return buildAffinity;
    default: return undefined;
  }
}

/** Binds the operators `operator` knows to `host`. */
const bound = (operator: (name: string) => HostBuilder | undefined, host: RuleHost): OperatorBuilders => (name) => {
  const build = operator(name);
  return build && ((args) => build(args, host));
};

/** Attune's profile operators (count, since, first_seen, last_seen, affinity) bound to `host`: a bundle's, on the critical path. */
export const profileOperators = (host: RuleHost): OperatorBuilders => bound(profileOperator, host);

/**
 * Builders of Attune's personalization operators (count, since, first_seen, last_seen, affinity,
 * starts_with, ends_with, sem_ver, hour, weekday, in_range), bound to a host: pass them as
 * `compileRule(rule, { builders: attuneOperators(host) })`. Rules then read the host's clock and
 * history on every evaluation; a bad constant argument (an unparsable window, an unknown time
 * zone or semver operator) throws AttuneError `rule-invalid` at compile time, and bad data makes
 * an operator return false or null, never throw.
 */
export const attuneOperators = (host: RuleHost): OperatorBuilders => bound((name) => profileOperator(name) ?? extraAttuneOperator(name), host);
