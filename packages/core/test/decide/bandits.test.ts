import { describe, expect, it, vi } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { decide } from '../../src/decide/decide.js';
import { compileBandit, chooseArm } from '../../src/models/bandit/choose-arm.js';
import { modelsPart } from '../../src/models/models-part.js';
import { createServerDecider } from '../../src/server/server-decider.js';
import { data, input, rawBundle } from './decide-support.js';

const vip = { id: 'vip', when: { '==': [{ var: 'profile.traits.tier' }, 'gold'] } };

/** A banner whose experiment is a bandit over arms a, b (default "a" content for the holdout). */
function banner(allocation: Record<string, unknown> = {}, experiment: Record<string, unknown> = {}) {
  return {
    id: 'banner',
    slot: 'banner',
    variants: [
      { id: 'a', content: 'a' },
      { id: 'b', content: 'b' },
    ],
    default: 'a',
    experiment: { id: 'banner-bandit', allocation: { type: 'thompson', reward: 'purchase', ...allocation }, ...experiment },
  };
}

function compiled(experience: Record<string, unknown>, withPart = true) {
  const bundle = validateBundle(rawBundle([experience], { segments: [vip] }));
  return { bundle, compiled: compileBundle(bundle, undefined, withPart ? modelsPart : {}) };
}

const visitor = (i: number, session = `s${i}`, profile = {}) => input({ units: { anonymousId: `visitor-${i}`, userId: null }, sessionId: session, data: data(0, profile) });

describe('bandit experiments in decide', () => {
  it('serves the arm Thompson sampling draws for the unit and session: the same as chooseArm (known answer)', () => {
    const allocation = { posteriors: { a: { alpha: 3, beta: 7 }, b: { alpha: 4, beta: 6 } } };
    const { bundle, compiled: c } = compiled(banner(allocation));
    const bandit = compileBandit(bundle.experiences[0]!);
    for (let i = 0; i < 200; i++) {
      const decision = decide(c, 'banner', visitor(i));
      expect(decision).toMatchObject({ experience: 'banner', reason: 'matched', experiment: { id: 'banner-bandit', variant: decision.variant } });
      expect(decision.variant).toBe(chooseArm(bandit, `visitor-${i}`, `s${i}`, [])!.variant);
    }
  });

  it('gives the arm with the much better posterior nearly all the traffic', () => {
    const { compiled: c } = compiled(banner({ posteriors: { a: { alpha: 2, beta: 98 }, b: { alpha: 60, beta: 40 } } }));
    const served = Array.from({ length: 500 }, (_, i) => decide(c, 'banner', visitor(i)).variant);
    expect(served.filter((arm) => arm === 'b').length).toBeGreaterThan(490);
  });

  it('keeps an exploration floor: each arm gets at least its share', () => {
    const { compiled: c } = compiled(banner({ floor: 0.2, posteriors: { a: { alpha: 2, beta: 98 }, b: { alpha: 60, beta: 40 } } }));
    const served = Array.from({ length: 2000 }, (_, i) => decide(c, 'banner', visitor(i)).variant);
    const share = served.filter((arm) => arm === 'a').length / served.length;
    expect(share).toBeGreaterThan(0.17); // 0.2 expected, binomial sd ≈ 0.009
    expect(share).toBeLessThan(0.23);
  });

  it('draws once per session: the same arm on every decision of a session, and again in the next one', () => {
    const { compiled: c } = compiled(banner());
    const arms = (session: string) => new Set(Array.from({ length: 5 }, () => decide(c, 'banner', visitor(7, session)).variant));
    expect(arms('one').size).toBe(1);
    const perSession = new Set(Array.from({ length: 40 }, (_, s) => decide(c, 'banner', visitor(7, `session-${s}`)).variant));
    expect(perSession).toEqual(new Set(['a', 'b'])); // uniform priors: both arms over 40 sessions
  });

  it('is not sticky: a stored assignment is not used and no new one is recorded', () => {
    const { compiled: c } = compiled(banner({ posteriors: { a: { alpha: 1, beta: 1000 }, b: { alpha: 1000, beta: 1 } } }));
    const onAssign = vi.fn();
    const stored = { assignments: { 'banner-bandit': { unit: 'visitor-1', variant: 'a', at: 0 } }, caps: {} };
    expect(decide(c, 'banner', { ...visitor(1), state: stored, onAssign }).variant).toBe('b');
    expect(onAssign).not.toHaveBeenCalled();
  });

  it('lets the holdout and traffic gates of the experiment formula come first', () => {
    const { compiled: c } = compiled(banner({}, { holdout: 0.5 }));
    const reasons = Array.from({ length: 400 }, (_, i) => decide(c, 'banner', visitor(i)).reason);
    const held = reasons.filter((reason) => reason === 'holdout').length;
    expect(held).toBeGreaterThan(150);
    expect(held).toBeLessThan(250);
    const { compiled: none } = compiled(banner({}, { traffic: 0 }));
    expect(decide(none, 'banner', visitor(1)).reason).toBe('not-in-traffic');
  });

  it("uses a segment's posteriors for visitors in it", () => {
    const allocation = { posteriors: { a: { alpha: 1000, beta: 1 } }, segments: [{ segment: 'vip', posteriors: { a: { alpha: 1, beta: 1000 }, b: { alpha: 1000, beta: 1 } } }] };
    const { compiled: c } = compiled(banner(allocation));
    expect(decide(c, 'banner', visitor(1, 's', { traits: { tier: 'gold' } })).variant).toBe('b');
    expect(decide(c, 'banner', visitor(1, 's', { traits: { tier: 'silver' } })).variant).toBe('a');
  });

  it('serves the default, with the reason, when the bandit code is not loaded; other slots are not affected', () => {
    const { compiled: c } = compiled(banner(), false);
    const decision = decide(c, 'banner', visitor(1));
    expect(decision).toMatchObject({ reason: 'error', variant: 'a', experience: null });
    expect(decision.message).toMatch(/bandit code could not be loaded/);
  });

  it('leaves a bandit slot pending on a server: arms are drawn per session on the device', () => {
    const decider = createServerDecider(rawBundle([banner()]));
    const slot = decider.decide({ url: 'https://shop.test/', cookie: 'attune_id=visitor-1' }).slots.find((s) => s.slot === 'banner')!;
    expect(slot).toMatchObject({ pending: true, needs: expect.stringContaining('bandit') });
  });
});
