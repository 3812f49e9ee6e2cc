import type { RuleHost } from '../engine/attune-operators.js';
import { compileBundle, compileSteps, type CompiledBundle } from '../engine/compile-bundle.js';
import type { Bundle } from './schema.js';
import { validateBundle } from './validate-bundle.js';

/**
 * Runs every check a browser runs on a parsed bundle (schema, references, rules compiled) and
 * returns it typed; throws `AttuneError` (`bundle-invalid`, `bundle-rule-invalid`) naming each
 * problem. For build steps and CI (`attune validate`); the client runs the same checks in steps.
 */
export function checkBundle(value: unknown): Bundle {
  return compileBundle(validateBundle(value)).bundle;
}

/**
 * A parsed bundle validated (one step, from the first `next()`), then compiled for `host` step by
 * step (see compileSteps): for runInSlices, so neither holds the main thread with the other.
 */
export function* checkSteps(value: unknown, host: RuleHost): Generator<void, CompiledBundle> {
  return yield* compileSteps(validateBundle(value), host);
}
