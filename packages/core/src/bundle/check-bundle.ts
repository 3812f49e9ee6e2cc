import { compileBundle } from '../engine/compile-bundle.js';
import type { Bundle } from './schema.js';
import { validateBundle } from './validate-bundle.js';

/**
 * Runs every check a browser runs on a parsed bundle (schema, references, rules compiled) and
 * returns it typed; throws `AttuneError` (`bundle-invalid`, `bundle-rule-invalid`) naming each
 * problem. For build steps and CI (`attune validate`); the client runs the same checks in steps (check-steps.ts).
 */
export function checkBundle(value: unknown): Bundle {
  return compileBundle(validateBundle(value)).bundle;
}

