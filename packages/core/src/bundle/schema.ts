import * as z from 'zod/mini';

/**
 * Bundle format v1. This schema is the source of truth; README "Bundle format" documents it.
 * Rules (`when`, `audience.rule`) are JSON Logic and are compiled separately.
 */
export const Id = z.string().check(z.minLength(1), z.maxLength(200));
const Rule = z.unknown();
/** ISO 8601 date-time with a zone (Z or ±hh:mm); validateBundle also checks it is a real date. */
export const DateTime = z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/));

const Content = z.object({
  type: z.literal('text'),
  value: z.string(),
  meta: z.optional(z.record(z.string(), z.unknown())),
});

const Variant = z.object({
  id: Id,
  weight: z.optional(z.number().check(z.nonnegative())),
  content: Id,
});

const Experience = z.object({
  id: Id,
  slot: Id,
  priority: z.optional(z.number()),
  audience: z.optional(z.object({ segment: z.optional(Id), rule: z.optional(Rule) })),
  variants: z.array(Variant).check(z.minLength(1)),
  default: z.optional(Id),
});

export const BundleSchema = z.object({
  schema: z.literal('attune.bundle/1'),
  id: Id,
  /**
   * Monotonic integer (a string of digits is accepted): a bundle older than the cached one is
   * refused as a rollback. See `bundleVersion`.
   */
  version: z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(/^\d{1,15}$/))]),
  generatedAt: z.optional(DateTime),
  expiresAt: z.optional(DateTime),
  segments: z.optional(z.array(z.object({ id: Id, when: Rule }))),
  experiences: z.array(Experience),
  content: z.record(z.string(), Content),
});

export type Bundle = z.infer<typeof BundleSchema>;
export type BundleExperience = Bundle['experiences'][number];
export type BundleVariant = BundleExperience['variants'][number];
export type BundleContent = z.infer<typeof Content>;

/** The bundle's version as a number (`"42"` and `42` are the same version). */
export function bundleVersion(bundle: Pick<Bundle, 'version'>): number {
  return typeof bundle.version === 'number' ? bundle.version : Number(bundle.version);
}
