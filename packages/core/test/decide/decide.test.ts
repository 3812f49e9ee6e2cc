import { describe, expect, it, vi } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { decide, decideAll } from '../../src/decide/decide.js';
import { shopBundle } from '../fixtures.js';
import { compile, data, experience, input, NOW, viewed } from './decide-support.js';
import { fakeHost, NOW as HOST_NOW } from '../rules/rule-hosts.js';

const shop = (overrides: Record<string, unknown> = {}) => compileBundle(validateBundle(shopBundle(overrides)));

describe('decide: reasons', () => {
  it('serves the personalized variant with matched when the audience segment matches', () => {
    expect(decide(shop(), 'home.hero', input({ data: data(3) }))).toEqual({
      slot: 'home.hero',
      experience: 'hero-engaged',
      variant: 'engaged',
      content: { type: 'text', value: 'Welcome back' },
      reason: 'matched',
    });
  });

  it('serves the slot default with not-in-audience when no audience matches', () => {
    expect(decide(shop(), 'home.hero', input({ data: data(2) }))).toEqual({
      slot: 'home.hero',
      experience: null,
      variant: 'default',
      content: { type: 'text', value: 'Welcome' },
      reason: 'not-in-audience',
    });
  });

  it('serves no content for a slot the bundle does not know', () => {
    expect(decide(shop(), 'footer', input())).toMatchObject({ reason: 'not-in-audience', content: null, variant: null });
  });

  it('matches audience rules on the page context', () => {
    const newsletter = input({ data: data(0, {}, { campaign: { source: 'newsletter' } }) });
    expect(decide(shop(), 'home.promo', newsletter)).toMatchObject({ reason: 'matched', content: { value: '10% off' } });
    expect(decide(shop(), 'home.promo', input())).toMatchObject({ reason: 'not-in-audience', content: null });
  });

  it('serves the default with default-no-consent without personalization consent, even when the audience matches', () => {
    expect(decide(shop(), 'home.hero', input({ data: data(9), personalizationAllowed: false }))).toMatchObject({
      reason: 'default-no-consent',
      experience: null,
      content: { value: 'Welcome' },
    });
  });

  it('serves no content with default-no-bundle without a bundle', () => {
    expect(decide(undefined, 'home.hero', input())).toEqual({ slot: 'home.hero', experience: null, variant: null, content: null, reason: 'default-no-bundle' });
  });

  it('serves no content with default-expired from the expiry instant on', () => {
    const bundle = shop({ expiresAt: '2026-11-23T12:00:00Z' });
    expect(decide(bundle, 'home.hero', input({ data: data(9) }))).toMatchObject({ reason: 'default-expired', content: null });
    expect(decide(bundle, 'home.hero', input({ data: data(9), nowMs: NOW - 1 }))).toMatchObject({ reason: 'matched' });
  });
});

describe('decide: candidates', () => {
  it('tries experiences by priority, highest first', () => {
    const bundle = compile([experience('low', 'hero', { priority: 1 }), experience('high', 'hero', { priority: 5 })]);
    expect(decide(bundle, 'hero', input()).experience).toBe('high');
  });

  it('breaks priority ties by bundle order', () => {
    const bundle = compile([experience('first', 'hero'), experience('second', 'hero')]);
    expect(decide(bundle, 'hero', input()).experience).toBe('first');
  });

  it('orders every experience by priority, ties in bundle order, however many there are', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
    const bundle = compile(ids.map((id, i) => experience(id, `slot${i % 4}`, { priority: i % 3 })));
    const expected = [2, 1, 0].flatMap((priority) => ids.filter((_, i) => i % 3 === priority));
    expect(bundle.experiences.map((e) => e.id)).toEqual(expected);
    expect(bundle.slots.map((plan) => plan.slot)).toEqual(['slot0', 'slot1', 'slot2', 'slot3']);
  });

  it('lets the next candidate try when the first is not in its audience', () => {
    const bundle = compile([experience('fans', 'hero', { priority: 2, audience: viewed(5) }), experience('everyone', 'hero')]);
    expect(decide(bundle, 'hero', input({ data: data(1) })).experience).toBe('everyone');
    expect(decide(bundle, 'hero', input({ data: data(5) })).experience).toBe('fans');
  });

  it('serves the default variant of the highest-priority experience that names one', () => {
    const bundle = compile([
      experience('a', 'hero', { priority: 9, audience: viewed(5), default: undefined }),
      experience('b', 'hero', { priority: 5, audience: viewed(5) }),
    ]);
    expect(decide(bundle, 'hero', input())).toMatchObject({ variant: 'default', content: { value: 'b-default' } });
  });

  it('serves the first variant when an experience has no other than its default', () => {
    const bundle = compile([{ id: 'solo', slot: 'hero', variants: [{ id: 'only', content: 'only' }], default: 'only' }]);
    expect(decide(bundle, 'hero', input())).toMatchObject({ reason: 'matched', variant: 'only' });
  });

  it('passes json content through for single-page apps', () => {
    const bundle = compile([experience('cards', 'hero')], { content: { cards: { type: 'json', value: { items: [1, 2] } }, 'cards-default': { type: 'text', value: '' } } });
    expect(decide(bundle, 'hero', input()).content).toEqual({ type: 'json', value: { items: [1, 2] } });
  });

  it('returns the same frozen decision object while nothing changes', () => {
    const bundle = compile([experience('a', 'hero')]);
    const first = decide(bundle, 'hero', input());
    expect(decide(bundle, 'hero', input())).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.content)).toBe(true);
  });
});

describe('decide: schedules', () => {
  const scheduled = () => compile([experience('sale', 'hero', { schedule: { start: '2026-11-27T00:00:00Z', end: '2026-11-30T00:00:00Z' } })]);
  const at = (iso: string) => decide(scheduled(), 'hero', input({ nowMs: Date.parse(iso) }));

  it('does not serve an experience before its start', () => {
    expect(at('2026-11-26T23:59:59.999Z')).toMatchObject({ reason: 'not-in-audience', experience: null });
  });

  it('serves it from the start instant', () => {
    expect(at('2026-11-27T00:00:00Z')).toMatchObject({ reason: 'matched', experience: 'sale' });
  });

  it('serves it until just before the end', () => {
    expect(at('2026-11-29T23:59:59.999Z')).toMatchObject({ reason: 'matched' });
  });

  it('stops at the end instant', () => {
    expect(at('2026-11-30T00:00:00Z')).toMatchObject({ reason: 'not-in-audience' });
  });

  it('honours the offset of a schedule date', () => {
    const bundle = compile([experience('sale', 'hero', { schedule: { start: '2026-11-23T13:00:00+02:00' } })]);
    expect(decide(bundle, 'hero', input({ nowMs: Date.parse('2026-11-23T10:59:59Z') })).reason).toBe('not-in-audience');
    expect(decide(bundle, 'hero', input({ nowMs: Date.parse('2026-11-23T11:00:00Z') })).reason).toBe('matched');
  });
});

describe('decide: rule errors', () => {
  // A profile whose traits cannot be read: any rule touching them throws at run time.
  const broken = (views = 3) => {
    const profile = { counters: { product_viewed: views }, segments: [] };
    Object.defineProperty(profile, 'traits', {
      get() {
        throw new Error('boom');
      },
    });
    return { context: {}, profile };
  };
  const bundle = () =>
    compile([
      experience('fragile', 'hero', { priority: 2, audience: { rule: { '==': [{ var: 'profile.traits.plan' }, 'pro'] } } }),
      experience('sturdy', 'hero', { priority: 1, audience: viewed(3) }),
      experience('other', 'promo', { audience: viewed(3) }),
    ]);

  it('treats a rule that throws as false for its experience only', () => {
    expect(decide(bundle(), 'hero', input({ data: broken() }))).toMatchObject({ reason: 'matched', experience: 'sturdy' });
    expect(decide(bundle(), 'promo', input({ data: broken() }))).toMatchObject({ reason: 'matched', experience: 'other' });
  });

  it('reports the failing experience and its error through onRuleError', () => {
    const onRuleError = vi.fn();
    decide(bundle(), 'hero', input({ data: broken(), onRuleError }));
    expect(onRuleError).toHaveBeenCalledWith('experience "fragile"', expect.objectContaining({ message: 'boom' }));
  });

  it('reports error with a message when nothing else in the slot matched', () => {
    const decision = decide(bundle(), 'hero', input({ data: broken(0) }));
    expect(decision).toMatchObject({ reason: 'error', experience: null, content: { value: 'fragile-default' } });
    expect(decision.message).toBe('experience "fragile": boom');
  });

  it('makes every experience of a throwing segment fail, and only those', () => {
    const onRuleError = vi.fn();
    const compiled = compile(
      [experience('a', 'hero', { audience: { segment: 'pro' } }), experience('b', 'promo', { audience: { segment: 'pro' } }), experience('c', 'side')],
      { segments: [{ id: 'pro', when: { '==': [{ var: 'profile.traits.plan' }, 'pro'] } }] },
    );
    const decisions = decideAll(compiled, input({ data: broken(), onRuleError }));
    expect(decisions.map((d) => d.reason)).toEqual(['error', 'error', 'matched']);
    expect(onRuleError.mock.calls.map((call) => call[0])).toEqual(['experience "a"', 'experience "b"']);
  });

  it('never throws, even when a callback does', () => {
    const compiled = compile([experience('a', 'hero', { experiment: { id: 'x' } })]);
    const decision = decide(compiled, 'hero', input({ onAssign: () => { throw new Error('storage full'); } }));
    expect(decision).toMatchObject({ reason: 'error', message: 'storage full', content: null });
  });
});

describe('decideAll', () => {
  const bundle = () =>
    compile([experience('a', 'hero', { audience: viewed(2) }), experience('b', 'promo'), experience('c', 'hero', { priority: -1 })]);

  it('decides every slot, in the order slots first appear in the bundle', () => {
    expect(decideAll(bundle(), input()).map((d) => [d.slot, d.experience])).toEqual([
      ['hero', 'c'],
      ['promo', 'b'],
    ]);
  });

  it('gives each slot the decision decide gives it', () => {
    const compiled = bundle();
    const all = decideAll(compiled, input({ data: data(2) }));
    expect(all).toEqual([decide(compiled, 'hero', input({ data: data(2) })), decide(compiled, 'promo', input({ data: data(2) }))]);
  });

  it('returns the same array while no decision changes, and a new one when one does', () => {
    const compiled = bundle();
    const first = decideAll(compiled, input());
    expect(decideAll(compiled, input())).toBe(first);
    expect(decideAll(compiled, input({ data: data(2) }))).not.toBe(first);
  });

  it('returns no decisions without a bundle and default-expired for every slot of an expired one', () => {
    expect(decideAll(undefined, input())).toEqual([]);
    const expired = compile([experience('a', 'hero')], { expiresAt: '2026-01-01T00:00:00Z' });
    expect(decideAll(expired, input())).toMatchObject([{ slot: 'hero', reason: 'default-expired', content: null }]);
  });
});

describe('compileBundle with a rule host', () => {
  it('lets audience rules use Attune operators over the host profile and clock', () => {
    const host = fakeHost([
      { name: 'product_viewed', t: HOST_NOW - 3 * 86_400_000 },
      { name: 'product_viewed', t: HOST_NOW - 10 * 86_400_000 },
    ]);
    const compiled = compile([experience('recent', 'hero', { audience: { rule: { '>=': [{ count: ['product_viewed', '7d'] }, 1] } } })], {}, host);
    expect(decide(compiled, 'hero', input({ nowMs: HOST_NOW })).reason).toBe('matched');
    host.clock.now = HOST_NOW + 5 * 86_400_000;
    expect(decide(compiled, 'hero', input({ nowMs: host.clock.now })).reason).toBe('not-in-audience');
  });
});

describe('host answers within a pass', () => {
  it('asks the host once per pass for a count many rules use', () => {
    const host = fakeHost([{ name: 'product_viewed', t: HOST_NOW - 1000 }]);
    const count = vi.spyOn(host, 'count');
    const rule = { '>=': [{ count: ['product_viewed', '7d'] }, 5] };
    const compiled = compile(['a', 'b', 'c'].map((slot) => experience(slot, slot, { audience: { rule } })), {}, host);
    decideAll(compiled, input({ nowMs: HOST_NOW }));
    expect(count).toHaveBeenCalledTimes(1);
    decideAll(compiled, input({ nowMs: HOST_NOW }));
    expect(count).toHaveBeenCalledTimes(2);
  });
});
