import { describe, expect, it, vi } from 'vitest';
import { decide, decideAll } from '../../src/decide/decide.js';
import { journeyStage, segmentMembership } from '../../src/decide/membership.js';
import { mayReadStage } from '../../src/decide/reads-stage.js';
import { compile, data, experience, input } from './decide-support.js';

const views = (n: number) => ({ '>=': [{ var: 'profile.counters.product_viewed' }, n] });
const SEGMENTS = [
  { id: 'browser', when: views(1) },
  { id: 'engaged', when: views(3) },
  { id: 'engaged-mobile', when: { and: [{ segment: 'engaged' }, { '==': [{ var: 'context.device' }, 'mobile'] }] } },
];

describe('segmentMembership', () => {
  const compiled = () => compile([], { segments: SEGMENTS });

  it('lists the bundle segments whose rule matches, in bundle order', () => {
    expect(segmentMembership(compiled(), data(3, {}, { device: 'mobile' }))).toEqual(['browser', 'engaged', 'engaged-mobile']);
    expect(segmentMembership(compiled(), data(1))).toEqual(['browser']);
  });

  it('returns the same array while the membership does not change', () => {
    const bundle = compiled();
    const first = segmentMembership(bundle, data(3));
    expect(segmentMembership(bundle, data(4))).toBe(first);
    expect(segmentMembership(bundle, data(0))).toEqual([]);
  });

  it('leaves out a segment whose rule throws and reports it', () => {
    const onRuleError = vi.fn();
    const bundle = compile([], { segments: [{ id: 'bad', when: { var: 'profile.traits.plan' } }, { id: 'all', when: true }] });
    const profile = {};
    Object.defineProperty(profile, 'traits', {
      get() {
        throw new Error('boom');
      },
    });
    expect(segmentMembership(bundle, { context: {}, profile }, onRuleError)).toEqual(['all']);
    expect(onRuleError).toHaveBeenCalledWith('segment "bad"', expect.any(Error));
  });
});

describe('the segment operator', () => {
  it('evaluates a segment used by many experiences once per pass', () => {
    let reads = 0;
    const profile = {
      get counters() {
        reads++;
        return { product_viewed: 5 };
      },
    };
    const experiences = ['a', 'b', 'c', 'd'].map((slot) => experience(slot, slot, { audience: { segment: 'engaged' } }));
    const bundle = compile(experiences, { segments: [{ id: 'engaged', when: views(3) }] });
    expect(decideAll(bundle, input({ data: { context: {}, profile } })).map((d) => d.reason)).toEqual(['matched', 'matched', 'matched', 'matched']);
    expect(reads).toBe(1);
  });

  it('is true for a segment id hydrated into profile.segments that the bundle does not define', () => {
    const bundle = compile([experience('vip', 'hero', { audience: { rule: { segment: 'cdp-vip' } } })]);
    expect(decide(bundle, 'hero', input({ data: data(0, { segments: ['cdp-vip'] }) })).reason).toBe('matched');
    expect(decide(bundle, 'hero', input({ data: data(0, { segments: ['other'] }) })).reason).toBe('not-in-audience');
  });

  it('follows the bundle rule, not hydration, for a segment the bundle defines', () => {
    const bundle = compile([experience('e', 'hero', { audience: { rule: { segment: 'engaged' } } })], { segments: [{ id: 'engaged', when: views(3) }] });
    expect(decide(bundle, 'hero', input({ data: data(0, { segments: ['engaged'] }) })).reason).toBe('not-in-audience');
  });

  it('reads the visitor, not the element, inside array operations', () => {
    const rule = { some: [{ var: 'context.tags' }, { and: [{ segment: 'engaged' }, { '==': [{ var: '' }, 'sale'] }] }] };
    const bundle = compile([experience('e', 'hero', { audience: { rule } })], { segments: [{ id: 'engaged', when: views(3) }] });
    expect(decide(bundle, 'hero', input({ data: data(3, {}, { tags: ['new', 'sale'] }) })).reason).toBe('matched');
    expect(decide(bundle, 'hero', input({ data: data(2, {}, { tags: ['new', 'sale'] }) })).reason).toBe('not-in-audience');
  });

  it('accepts a segment id computed by the rule', () => {
    const bundle = compile([experience('e', 'hero', { audience: { rule: { segment: { var: 'context.wanted' } } } })], { segments: [{ id: 'engaged', when: views(3) }] });
    expect(decide(bundle, 'hero', input({ data: data(3, {}, { wanted: 'engaged' }) })).reason).toBe('matched');
    expect(decide(bundle, 'hero', input({ data: data(3, { segments: [] }, { wanted: 'unknown' }) })).reason).toBe('not-in-audience');
  });

  it('reads as false for a segment that reaches itself through a computed id', () => {
    const bundle = compile([experience('e', 'hero', { audience: { segment: 'loop' } })], { segments: [{ id: 'loop', when: { segment: { var: 'context.self' } } }] });
    expect(decide(bundle, 'hero', input({ data: data(0, {}, { self: 'loop' }) })).reason).toBe('not-in-audience');
  });
});

describe('journey stages', () => {
  const STAGES = [
    { id: 'aware', when: true },
    { id: 'considering', when: views(2) },
    { id: 'deciding', when: views(5) },
  ];

  it('is the last stage whose rule matches', () => {
    const bundle = compile([], { stages: STAGES });
    expect(journeyStage(bundle, data(0))).toBe('aware');
    expect(journeyStage(bundle, data(3))).toBe('considering');
    expect(journeyStage(bundle, data(9))).toBe('deciding');
  });

  it('is the last matching stage even when an earlier one does not match', () => {
    const bundle = compile([], { stages: [{ id: 'a', when: views(9) }, { id: 'b', when: true }, { id: 'c', when: false }] });
    expect(journeyStage(bundle, data(0))).toBe('b');
  });

  it('is null when no stage matches or the bundle has none', () => {
    expect(journeyStage(compile([], { stages: [{ id: 'a', when: false }] }), data(0))).toBeNull();
    expect(journeyStage(compile([]), data(0))).toBeNull();
  });

  it('is what audience and segment rules read as profile.stage', () => {
    const considering = { '==': [{ var: 'profile.stage' }, 'considering'] };
    const bundle = compile([experience('nudge', 'hero', { audience: { segment: 'considering' } }), experience('direct', 'side', { audience: { rule: considering } })], {
      stages: STAGES,
      segments: [{ id: 'considering', when: considering }],
    });
    expect(decideAll(bundle, input({ data: data(3) })).map((d) => d.reason)).toEqual(['matched', 'matched']);
    expect(decideAll(bundle, input({ data: data(9) })).map((d) => d.reason)).toEqual(['not-in-audience', 'not-in-audience']);
  });

  it('does not let stage rules see a stage', () => {
    const bundle = compile([], { stages: [{ id: 'a', when: true }, { id: 'b', when: { '==': [{ var: 'profile.stage' }, 'a'] } }] });
    expect(journeyStage(bundle, data(0))).toBe('a');
  });

  it('re-evaluates a segment a stage rule used, once the stage is known', () => {
    const bundle = compile([experience('e', 'hero', { audience: { segment: 'staged' } })], {
      segments: [{ id: 'staged', when: { '==': [{ var: 'profile.stage' }, 'in'] } }],
      stages: [{ id: 'in', when: { '!': { segment: 'staged' } } }],
    });
    expect(decide(bundle, 'hero', input()).reason).toBe('matched');
  });

  it('does not change the profile it is given', () => {
    const bundle = compile([], { stages: STAGES });
    const given = data(3);
    journeyStage(bundle, given);
    expect(given.profile).not.toHaveProperty('stage');
  });

  it('is not evaluated while deciding when no rule can read it', () => {
    const onRuleError = vi.fn();
    const profile = { counters: {} };
    Object.defineProperty(profile, 'traits', {
      get() {
        throw new Error('boom');
      },
    });
    const bundle = compile([experience('e', 'hero')], { stages: [{ id: 'pro', when: { var: 'profile.traits.plan' } }] });
    decide(bundle, 'hero', input({ data: { context: {}, profile }, onRuleError }));
    expect(onRuleError).not.toHaveBeenCalled();
    journeyStage(bundle, { context: {}, profile }, onRuleError);
    expect(onRuleError).toHaveBeenCalledWith('stage "pro"', expect.any(Error));
  });
});

describe('mayReadStage', () => {
  it('says yes for rules that name the stage or could reach it', () => {
    for (const rule of [
      { '==': [{ var: 'profile.stage' }, 'a'] },
      { var: ['profile.stage', null] },
      { missing: ['profile.stage'] },
      { var: '' },
      { var: 'profile' },
      { var: { cat: ['profile.', 'st', 'age'] } },
      { some: [{ var: 'x' }, { var: 1 }] },
    ]) {
      expect(mayReadStage(rule)).toBe(true);
    }
  });

  it('says no for rules that read other fields', () => {
    expect(mayReadStage({ and: [{ '>=': [{ var: 'profile.counters.x' }, 1] }, { segment: 'vip' }, { count: ['page_view', '7d'] }] })).toBe(false);
  });
});
