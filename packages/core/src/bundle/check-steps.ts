import type { CompiledBundle } from '../decide/types.js';
import type { RuleHost } from '../rules/attune-operators.js';
import { compileSteps, type BundleParts } from '../decide/compile-bundle.js';
import { deviceCheckSteps } from './device-check.js';

/**
 * A parsed bundle checked as the browser checks it, then compiled for `host`, step by step (see
 * deviceCheckSteps and compileSteps): for runInSlices, so neither holds the
 * main thread with the other. Apart from check-bundle.ts, whose checkBundle brings zod.
 */
export function* checkSteps(value: unknown, host: RuleHost, parts: BundleParts = {}): Generator<void, CompiledBundle> {
  return yield* compileSteps(yield* deviceCheckSteps(value), host, parts);
}
