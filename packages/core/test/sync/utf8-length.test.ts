import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/utf8-length.js';

const encoded = (text: string): number => new TextEncoder().encode(text).length;

describe('utf8Length', () => {
  it('counts the bytes TextEncoder gives, for any string (lone surrogates included)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === encoded(text)), { numRuns: 2000 });
  });

  it('counts texts longer than its scratch buffer keeps, and shorter ones after them, alike', () => {
    for (const text of ['é'.repeat(40_000), '😀'.repeat(20_000) + '\ud800', 'a'.repeat(33_000), '€x', '']) expect(utf8Length(text)).toBe(encoded(text));
  });
});
