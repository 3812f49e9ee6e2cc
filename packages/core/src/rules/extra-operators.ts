import type { Builder, OperatorBuilders } from './node.js';
import { buildAll, buildFilter, buildMap, buildMerge, buildNone, buildReduce, buildSome } from './ops-array.js';
import { buildAdd, buildDivide, buildMax, buildMin, buildModulo, buildMultiply, buildSubtract } from './ops-math.js';
import { buildCat, buildLog, buildSubstr } from './ops-string.js';
import { buildEndsWith, buildSemVer, buildStartsWith } from './ops-text.js';
import { buildHour, buildInRange, buildWeekday } from './ops-time.js';
import type { HostBuilder } from './rule-args.js';
import type { RuleHost } from './rule-host.js';

/*
 * The operators personalization rules use least: arithmetic, arrays, strings (JSON Logic), and
 * Attune's text and time operators. compileRule has them all; a bundle's rules on the device get
 * them from a part of their own (client/load-parts.ts: loadOperators), loaded only for bundles
 * that use one (see extra-operator-names.ts), so the critical path does not carry them.
 */

/** The builder of a standard JSON Logic operation that is not on the critical path, or undefined. */
export function extraStandardOperator(name: string): Builder | undefined {
  switch (name) {
    case 'max': return buildMax;
    case 'min': return buildMin;
    case '+': return buildAdd;
    case '-': return buildSubtract;
    case '*': return buildMultiply;
    case '/': return buildDivide;
    case '%': return buildModulo;
    case 'map': return buildMap;
    case 'filter': return buildFilter;
    case 'reduce': return buildReduce;
    case 'all': return buildAll;
    case 'none': return buildNone;
    case 'some': return buildSome;
    case 'merge': return buildMerge;
    case 'cat': return buildCat;
    case 'substr': return buildSubstr;
    case 'log': return buildLog;
    default: return undefined;
  }
}

/** Attune's text and time operators (the profile ones are in attune-operators.ts). */
export function extraAttuneOperator(name: string): HostBuilder | undefined {
  switch (name) {
    case 'starts_with': return buildStartsWith;
    case 'ends_with': return buildEndsWith;
    case 'sem_ver': return buildSemVer;
    case 'hour': return buildHour;
    case 'weekday': return buildWeekday;
    case 'in_range': return buildInRange;
    default: return undefined;
  }
}

/** Every operator of this part, Attune's bound to `host`: what a bundle compiles with once the part is loaded. */
export function extraOperators(host: RuleHost): OperatorBuilders {
  return (name) => {
    const build = extraAttuneOperator(name);
    return extraStandardOperator(name) ?? (build && ((args) => build(args, host)));
  };
}
