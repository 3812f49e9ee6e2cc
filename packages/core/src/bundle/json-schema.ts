import * as z from 'zod/mini';
import { DATE_TIME } from './date-time.js';
import { VERSION_DIGITS } from './format.js';
import { BundleSchema, Cap, CapField, Caps, Content, Count, DateTime, Version } from './schema.js';

/**
 * The JSON Schema of bundle format v1, generated from `BundleSchema` (the source of truth) for
 * editors: a bundle with `"$schema": "<path or URL of bundle.schema.json>"` gets completion and
 * checks. Written to packages/core/bundle.schema.json by `npm run schema`; a unit test fails
 * when that file is stale. Not part of the browser build.
 */

export const BUNDLE_SCHEMA_ID = 'https://unpkg.com/@attune/core/bundle.schema.json';

/** Fields that hold a JSON Logic rule (their zod type is `unknown`: rules are compiled separately). */
const RULE_FIELDS = new Set(['when', 'rule', 'from']);

const JSON_LOGIC_RULE = {
  description: 'A JSON Logic rule (jsonlogic.com) with Attune operators, e.g. {">=": [{"var": "profile.counters.product_viewed"}, 3]}. Compiled when the bundle loads; an unknown operator rejects the bundle.',
  anyOf: [
    { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: true },
    { type: 'array' },
    { type: ['string', 'number', 'boolean', 'null'] },
  ],
};

const Meta = z.optional(z.record(z.string(), z.unknown()));

/**
 * What the schema leaves to code (bundle-checks.ts, shared with the device's check), spelled out
 * for editors: the two content shapes (a text content's value is a string), caps (one or a list),
 * the version, date-times.
 */
const EDITOR_SCHEMAS = new Map<unknown, z.core.$ZodType>([
  [
    Content,
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), value: z.string(), meta: Meta }),
      z.object({ type: z.literal('json'), value: z.unknown(), meta: Meta }),
    ]),
  ],
  [CapField, z.union([Cap, Caps])],
  [Version, z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(VERSION_DIGITS))])],
  [DateTime, z.string().check(z.regex(DATE_TIME))],
]);

const OPTIONS: z.core.ToJSONSchemaParams = {
  io: 'input',
  target: 'draft-2020-12',
  override(ctx) {
    const field = ctx.path[ctx.path.length - 1];
    const editor = EDITOR_SCHEMAS.get(ctx.zodSchema);
    if (editor) {
      const { $schema: _, ...spelled } = z.toJSONSchema(editor, OPTIONS);
      for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
      Object.assign(ctx.jsonSchema, spelled);
    }
    // Whole numbers are checked by validateBundle.
    if (ctx.zodSchema === Count) Object.assign(ctx.jsonSchema, { type: 'integer', maximum: Number.MAX_SAFE_INTEGER });
    if (ctx.zodSchema._zod.def.type === 'unknown' && typeof field === 'string' && RULE_FIELDS.has(field)) {
      ctx.jsonSchema.$ref = '#/$defs/rule';
    }
  },
};

export function bundleJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(BundleSchema, OPTIONS) as Record<string, unknown> & { properties: Record<string, unknown>; $defs?: Record<string, unknown> };
  const { $schema, properties, required, $defs, ...rest } = generated;
  return {
    $schema,
    $id: BUNDLE_SCHEMA_ID,
    title: 'Attune bundle (format attune.bundle/1)',
    description: 'Rules, experiences and content decided in the browser by Attune. Generated from the zod schema in @attune/core (npm run schema): do not edit by hand.',
    ...rest,
    properties: {
      $schema: { type: 'string', description: 'Where your editor finds this schema, e.g. "./node_modules/@attune/core/bundle.schema.json". Ignored by Attune.' },
      ...properties,
    },
    required,
    $defs: { ...$defs, rule: JSON_LOGIC_RULE },
  };
}
