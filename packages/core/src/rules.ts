/**
 * @attune/core/rules: the rule language on its own, for code that checks or evaluates rules outside
 * a client (a server, a build step, an editor's preview): JSON Logic compiled once to closures
 * (no eval, no new Function) and Attune's own operators over a host that reads the profile.
 */
export { compileRule, truthy } from './rules/compile-rule.js';
export type { CompiledRule, CompileOptions, CustomOperator, OperatorBuilders } from './rules/compile-rule.js';
export { attuneOperators, EMPTY_RULE_HOST } from './rules/attune-operators.js';
export type { RuleHost } from './rules/attune-operators.js';
// What compileRule throws (the same class as '@attune/core' exports, so instanceof holds).
export { AttuneError } from './errors.js';
export type { AttuneErrorCode } from './errors.js';
