import { describe, expect, it, vi } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle, type CompiledBundle } from '../../src/engine/compile-bundle.js';
import { decideSlot } from '../../src/engine/decide.js';
import { shopBundle } from '../fixtures.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const input = { personalizationAllowed: true, nowMs: NOW, onRuleError: () => {} };
const compiled = (overrides: Record<string, unknown> = {}) => compileBundle(validateBundle(shopBundle(overrides)));
const data = (views: number, source?: string) => ({ context: { campaign: source ? { source } : {} }, profile: { counters: { product_viewed: views } } });

describe('decideSlot', () => {
  it('serves the personalized variant when the audience segment matches', () => {
    expect(decideSlot(compiled(), 'home.hero', data(3), input)).toEqual({
      slot: 'home.hero',
      experience: 'hero-engaged',
      variant: 'engaged',
      content: { type: 'text', value: 'Welcome back' },
      reason: 'matched',
    });
  });

  it('serves the default variant with not-in-audience when the audience does not match', () => {
    expect(decideSlot(compiled(), 'home.hero', data(2), input)).toMatchObject({
      experience: null,
      variant: 'default',
      content: { value: 'Welcome' },
      reason: 'not-in-audience',
    });
  });

  it('matches audience rules on the context', () => {
    expect(decideSlot(compiled(), 'home.promo', data(0, 'newsletter'), input)).toMatchObject({ reason: 'matched', content: { value: '10% off' } });
    expect(decideSlot(compiled(), 'home.promo', data(0, 'ads'), input)).toMatchObject({ reason: 'not-in-audience', content: null });
  });

  it('serves the default without personalization consent, even when the audience would match', () => {
    expect(decideSlot(compiled(), 'home.hero', data(9), { ...input, personalizationAllowed: false })).toMatchObject({
      reason: 'default-no-consent',
      content: { value: 'Welcome' },
    });
  });

  it('serves no content with default-no-bundle when there is no bundle', () => {
    expect(decideSlot(undefined, 'home.hero', data(9), input)).toEqual({ slot: 'home.hero', experience: null, variant: null, content: null, reason: 'default-no-bundle' });
  });

  it('does not use an expired bundle', () => {
    const expired = compiled({ expiresAt: '2026-11-23T11:59:59Z' });
    expect(decideSlot(expired, 'home.hero', data(9), input)).toMatchObject({ reason: 'default-expired', content: null });
  });

  it('picks the highest-priority matching experience', () => {
    const bundle = shopBundle();
    bundle.experiences.push({
      id: 'hero-everyone',
      slot: 'home.hero',
      priority: 20,
      audience: { rule: true },
      variants: [{ id: 'all', content: 'promo-newsletter' }],
    } as never);
    expect(decideSlot(compileBundle(validateBundle(bundle)), 'home.hero', data(9), input)).toMatchObject({ experience: 'hero-everyone' });
  });

  it('treats a rule that throws as not matched for that experience only and reports it', () => {
    const good = compiled();
    const failing: CompiledBundle = {
      ...good,
      bySlot: new Map([
        ['home.hero', [{ experience: good.bundle.experiences[0]!, matches: () => { throw new Error('boom'); } }, ...good.bySlot.get('home.hero')!]],
      ]),
    };
    const onRuleError = vi.fn();
    const decision = decideSlot(failing, 'home.hero', data(1), { ...input, onRuleError });
    expect(decision).toMatchObject({ reason: 'error', content: { value: 'Welcome' } });
    expect(decision.message).toContain('boom');
    expect(onRuleError).toHaveBeenCalledWith('hero-engaged', expect.any(Error));
  });

  it('lets a rule reuse a segment with the segment operator', () => {
    const bundle = shopBundle();
    bundle.experiences[1]!.audience = { rule: { and: [{ segment: 'engaged' }, true] } } as never;
    expect(decideSlot(compileBundle(validateBundle(bundle)), 'home.promo', data(3), input)).toMatchObject({ reason: 'matched' });
    expect(decideSlot(compileBundle(validateBundle(bundle)), 'home.promo', data(1), input)).toMatchObject({ reason: 'not-in-audience' });
  });
});
