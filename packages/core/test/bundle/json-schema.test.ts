import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleJsonSchema } from '../../src/bundle/json-schema.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { shopBundle } from '../fixtures.js';

const checkedIn = new URL('../../bundle.schema.json', import.meta.url);

describe('the bundle JSON Schema', () => {
  it('is checked in exactly as the zod schema generates it', () => {
    const onDisk: unknown = JSON.parse(readFileSync(checkedIn, 'utf8'));
    expect(onDisk, 'packages/core/bundle.schema.json is stale: run `npm run schema` and commit the file').toEqual(bundleJsonSchema());
  });

  it('lets a bundle name its schema with "$schema", which validation accepts', () => {
    const schema = bundleJsonSchema() as { properties: Record<string, unknown> };
    expect(schema.properties).toHaveProperty('$schema');
    expect(() => validateBundle({ $schema: './node_modules/@attune/core/bundle.schema.json', ...shopBundle() })).not.toThrow();
  });

  it('types segment and audience rules as JSON Logic', () => {
    const text = JSON.stringify(bundleJsonSchema());
    expect(text).toContain('"when":{"$ref":"#/$defs/rule"}');
    expect(text).toContain('"rule":{"$ref":"#/$defs/rule"}');
  });
});
