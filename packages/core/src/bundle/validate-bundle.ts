import { AttuneError, describeIssues } from '../errors.js';
import { BundleSchema, type Bundle } from './schema.js';

/** Cross-references zod cannot express: every id a bundle mentions must exist in it. */
function referenceProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  for (const field of ['generatedAt', 'expiresAt'] as const) {
    const value = bundle[field];
    if (value !== undefined && Number.isNaN(Date.parse(value))) problems.push(`${field}: "${value}" is not a real date`);
  }
  const segmentIds = new Set((bundle.segments ?? []).map((segment) => segment.id));
  bundle.experiences.forEach((experience, i) => {
    const where = `experiences[${i}] ("${experience.id}")`;
    const segment = experience.audience?.segment;
    if (segment !== undefined && !segmentIds.has(segment)) problems.push(`${where}: audience.segment "${segment}" is not defined in segments`);
    const variantIds = new Set<string>();
    for (const variant of experience.variants) {
      if (variantIds.has(variant.id)) problems.push(`${where}: variant id "${variant.id}" is used twice`);
      variantIds.add(variant.id);
      if (!(variant.content in bundle.content)) problems.push(`${where}: variant "${variant.id}" names content "${variant.content}" that is not in content`);
    }
    if (experience.default !== undefined && !variantIds.has(experience.default)) problems.push(`${where}: default "${experience.default}" is not one of its variants`);
  });
  return problems;
}

/**
 * Checks a parsed JSON value against bundle format v1. Throws `AttuneError('bundle-invalid')`
 * listing every problem with its path, so an author can fix them all at once.
 */
export function validateBundle(value: unknown): Bundle {
  const parsed = BundleSchema.safeParse(value);
  const problems = parsed.success
    ? referenceProblems(parsed.data)
    : describeIssues(parsed.error.issues);
  if (!parsed.success || problems.length > 0) {
    throw new AttuneError('bundle-invalid', `The bundle was rejected and default content is served. Fix: ${problems.join('; ')}`);
  }
  return parsed.data;
}
