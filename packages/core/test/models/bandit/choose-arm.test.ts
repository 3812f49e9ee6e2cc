import { describe, expect, it } from 'vitest';
import { banditProblems } from '../../../src/models/bandit/check-bandit.js';
import { chooseArm, compileBandit, type CompiledBandit } from '../../../src/models/bandit/choose-arm.js';
import type { BundleAllocation } from '../../../src/bundle/schema.js';
import { thrownAttuneError } from '../../support.js';
import { banditExperience } from './bandits.js';

/** How often each arm is chosen over `units` visitors in one session each. */
function shares(bandit: CompiledBandit, units = 4000, segments: readonly string[] = []): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(bandit.arms.map((arm) => [arm, 0]));
  for (let i = 0; i < units; i++) counts[chooseArm(bandit, `visitor-${i}`, 'session-1', segments)!.variant]!++;
  return Object.fromEntries(Object.entries(counts).map(([arm, count]) => [arm, count / units]));
}

const strong = { a: { alpha: 500, beta: 500 }, b: { alpha: 10, beta: 990 }, c: { alpha: 10, beta: 990 } };

describe('chooseArm', () => {
  it('gives the same arm for the same visitor and session (a reload), and draws again in another session', () => {
    const bandit = compileBandit(banditExperience());
    const arm = chooseArm(bandit, 'visitor-1', 'session-1', []);
    for (let i = 0; i < 5; i++) expect(chooseArm(bandit, 'visitor-1', 'session-1', [])).toEqual(arm);
    const sessions = new Set(Array.from({ length: 40 }, (_, i) => chooseArm(bandit, 'visitor-1', `session-${i}`, [])!.variant));
    expect(sessions.size).toBe(3);
  });

  it('splits evenly while no arm has evidence (every posterior the prior Beta(1, 1))', () => {
    const split = shares(compileBandit(banditExperience()));
    for (const share of Object.values(split)) expect(share).toBeCloseTo(1 / 3, 1);
  });

  it('sends nearly everyone to an arm whose posterior is far better', () => {
    expect(shares(compileBandit(banditExperience({ posteriors: strong }))).a).toBeGreaterThan(0.99);
  });

  it('gives each arm at least its floor, and the rest by Thompson sampling', () => {
    const split = shares(compileBandit(banditExperience({ posteriors: strong, floor: 0.1 })), 10_000);
    // b and c never win a draw against a: each gets the floor alone, and a the floor plus the rest.
    expect(split.b).toBeGreaterThan(0.09);
    expect(split.b).toBeLessThan(0.11);
    expect(split.c).toBeGreaterThan(0.09);
    expect(split.a).toBeGreaterThan(0.78);
  });

  it('splits evenly, explored, when the floor takes all the traffic', () => {
    const bandit = compileBandit(banditExperience({ posteriors: { a: strong.a, b: strong.b }, floor: 0.5 }, ['a', 'b']));
    expect(shares(bandit).b).toBeCloseTo(0.5, 1);
    expect(chooseArm(bandit, 'visitor-1', 'session-1', [])!.explored).toBe(true);
  });

  it('uses the first listed segment the visitor is in, and the experiment\'s posterior for an arm it does not list', () => {
    const segments: NonNullable<BundleAllocation['segments']> = [
      { segment: 'vip', posteriors: { b: { alpha: 900, beta: 100 } } },
      { segment: 'new', posteriors: { c: { alpha: 900, beta: 100 } } },
    ];
    const bandit = compileBandit(banditExperience({ posteriors: strong, segments }));
    expect(shares(bandit, 1000, ['new', 'vip']).b).toBeGreaterThan(0.99);
    expect(shares(bandit, 1000, ['new']).c).toBeGreaterThan(0.99);
    expect(shares(bandit, 1000, ['other']).a).toBeGreaterThan(0.99);
    expect(chooseArm(bandit, 'visitor-1', 's', ['other', 'new'])!.segment).toBe('new');
    expect(chooseArm(bandit, 'visitor-1', 's', ['other'])!.segment).toBeNull();
    // In "vip", a keeps the experiment's posterior and c its prior.
    expect(bandit.segments[0]!.posteriors).toEqual(Float64Array.from([500, 500, 900, 100, 10, 990]));
  });

  it('never serves a variant of weight 0', () => {
    const bandit = compileBandit(banditExperience({ floor: 0.3 }, ['a', { id: 'off', weight: 0 }, 'c']));
    expect(bandit.arms).toEqual(['a', 'c']);
    expect(shares(bandit, 2000).off).toBeUndefined();
  });

  it('returns null, never throwing, for a unit or session that is not a string', () => {
    const bandit = compileBandit(banditExperience());
    expect(chooseArm(bandit, undefined as unknown as string, 's', [])).toBeNull();
    expect(chooseArm(bandit, 'v', null as unknown as string, [])).toBeNull();
    expect(chooseArm(bandit, 'v', 's', 'vip' as unknown as string[])).toMatchObject({ segment: null });
  });
});

describe('compileBandit', () => {
  it('names every problem: an unknown arm, a posterior not above 0, a floor the arms cannot all get, a segment twice, factors', () => {
    const experience = banditExperience(
      {
        floor: 0.4,
        posteriors: { a: { alpha: 0, beta: 1 }, ghost: { alpha: 1, beta: 1 } },
        segments: [
          { segment: 'vip', posteriors: {} },
          { segment: 'vip', posteriors: { b: { alpha: 2, beta: -1 } } },
        ],
      },
      ['a', 'b', 'c'],
      { factors: [{ id: 'f', levels: [{ id: 'l', content: 'a' }] }] },
    );
    const { code, message } = thrownAttuneError(() => compileBandit(experience));
    expect(code).toBe('bandit-invalid');
    expect(message).toContain('The bandit of experience "banner" cannot be used. Fix: ');
    expect(message).toContain('allocation: a bandit allocates the variants; remove factors');
    expect(message).toContain('allocation.floor: 0.4 × 3 arms is over 1; give at most 0.3333');
    expect(message).toContain('allocation.posteriors["a"]: alpha 0 and beta 1 must both be above 0');
    expect(message).toContain('allocation.posteriors["ghost"]: "ghost" is not an arm of the experience');
    expect(message).toContain('allocation.segments[1]: segment "vip" is listed twice');
    expect(message).toContain('allocation.segments[1].posteriors["b"]: alpha 2 and beta -1 must both be above 0');
    expect(banditProblems(experience)).toHaveLength(6);
  });

  it('refuses a posterior for a variant of weight 0, which is not an arm', () => {
    const experience = banditExperience({ posteriors: { off: { alpha: 1, beta: 1 } } }, ['a', { id: 'off', weight: 0 }]);
    expect(thrownAttuneError(() => compileBandit(experience)).message).toContain('"off" is not an arm of the experience (a variant with a weight above 0)');
  });

  it('refuses an experience that is not a bandit', () => {
    const { experiment: _, ...plain } = banditExperience();
    expect(thrownAttuneError(() => compileBandit(plain)).message).toContain('experiment.allocation: missing');
  });
});
