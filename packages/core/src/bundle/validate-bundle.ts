import { describeIssues } from '../errors.js';
import { acceptBundle, openProblems } from './bundle-checks.js';
import { BundleSchema, type Bundle } from './schema.js';

/**
 * Checks a parsed JSON value against bundle format v1 with the zod schema: the reference (the
 * CLI's `attune validate`, build steps). Throws `AttuneError('bundle-invalid')` listing every
 * problem with its path, so an author can fix them all at once. The browser runs a compact check
 * that accepts the same bundles (device-check.ts).
 */
export function validateBundle(value: unknown): Bundle {
  const parsed = BundleSchema.safeParse(value);
  const problems: string[] = [];
  openProblems(value, (problem) => void problems.push(problem));
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues));
  return acceptBundle(parsed.data, problems);
}
