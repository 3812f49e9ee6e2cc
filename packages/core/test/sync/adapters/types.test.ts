import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTUNE_LIBRARY, mergeHeaders, packBodies, utf8Length } from '../../../src/sync/adapters/types.js';

const wrap = (joined: string) => `[${joined}]`;

describe('adapter helpers', () => {
  it('reports the version of packages/core/package.json as the library version', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { name: string; version: string };
    expect(ATTUNE_LIBRARY).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('counts UTF-8 bytes like TextEncoder, surrogate pairs and lone surrogates included', () => {
    for (const text of ['', 'plain', 'é', '€', '😀', 'a😀b€é', '\ud83d', 'x\udc00y']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('merges headers with lower-case names, later sets winning', () => {
    expect(mergeHeaders({ 'content-type': 'text/plain' }, undefined, { 'Content-Type': 'application/json', 'X-A': '1' })).toEqual({
      'content-type': 'application/json',
      'x-a': '1',
    });
  });

  it('packs items in order into bodies no larger than the limit', () => {
    const items = ['"aaaa"', '"bb"', '"cccccc"', '"d"'];
    const bodies = packBodies(items, 14, wrap);
    expect(bodies).toEqual(['["aaaa","bb"]', '["cccccc","d"]']);
    for (const body of bodies) expect(utf8Length(body)).toBeLessThanOrEqual(14);
  });

  it('gives an item too big for the limit a body of its own instead of losing it', () => {
    expect(packBodies(['"a"', '"much too long"', '"b"'], 8, wrap)).toEqual(['["a"]', '["much too long"]', '["b"]']);
  });

  it('packs nothing into no bodies', () => {
    expect(packBodies([], 100, wrap)).toEqual([]);
  });
});
