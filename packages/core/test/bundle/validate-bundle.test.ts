import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/engine/compile-bundle.js';
import { AttuneError } from '../../src/errors.js';
import { shopBundle } from '../fixtures.js';

function rejection(value: unknown): AttuneError {
  try {
    compileBundle(validateBundle(value));
  } catch (error) {
    if (error instanceof AttuneError) return error;
    throw error;
  }
  throw new Error('expected the bundle to be rejected');
}

describe('validateBundle', () => {
  it('accepts a valid bundle and returns it typed', () => {
    expect(validateBundle(shopBundle()).experiences).toHaveLength(2);
  });

  it('rejects a wrong schema tag', () => {
    expect(rejection(shopBundle({ schema: 'attune.bundle/9' }))).toMatchObject({ code: 'bundle-invalid', message: expect.stringContaining('schema') });
  });

  it('names the path of every structural problem', () => {
    const error = rejection({ schema: 'attune.bundle/1', id: 'x', version: '1', experiences: [{ id: 'e', variants: [] }], content: {} });
    expect(error.code).toBe('bundle-invalid');
    expect(error.message).toContain('experiences[0].slot');
    expect(error.message).toContain('experiences[0].variants');
  });

  it('rejects variants that name missing content and defaults that name missing variants', () => {
    const bundle = shopBundle();
    bundle.experiences[0]!.variants[1]!.content = 'nope';
    bundle.experiences[0]!.default = 'ghost';
    const error = rejection(bundle);
    expect(error.message).toContain('content "nope"');
    expect(error.message).toContain('default "ghost"');
  });

  it('rejects an audience that names an undefined segment', () => {
    const bundle = shopBundle({ segments: [] });
    expect(rejection(bundle).message).toContain('segment "engaged" is not defined');
  });

  it('rejects a bundle whose rule uses an unknown operator, naming the operator and the rule', () => {
    const bundle = shopBundle({ segments: [{ id: 'engaged', when: { frobnicate: [1] } }] });
    const error = rejection(bundle);
    expect(error.code).toBe('bundle-rule-invalid');
    expect(error.message).toContain('frobnicate');
    expect(error.message).toContain('segment "engaged"');
  });

  it('rejects an expiry that is not an ISO date-time', () => {
    expect(rejection(shopBundle({ expiresAt: 'tomorrow' })).message).toContain('expiresAt');
  });

  it('rejects an ISO-shaped expiry that is not a real date', () => {
    expect(rejection(shopBundle({ expiresAt: '2026-13-45T00:00:00Z' })).message).toContain('expiresAt: "2026-13-45T00:00:00Z" is not a real date');
  });

  it('accepts date-times with an offset and fractional seconds', () => {
    expect(validateBundle(shopBundle({ generatedAt: '2026-11-23T10:00:00.123+01:00', expiresAt: '2030-01-01T00:00Z' })).expiresAt).toBe('2030-01-01T00:00Z');
  });
});
