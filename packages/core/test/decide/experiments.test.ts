import { describe, expect, it, vi } from 'vitest';
import { assignFactors, assignVariant } from '../../src/decide/assign-variant.js';
import { activeAssignments, forceProblem, pruneDecisionState } from '../../src/decide/assignments.js';
import { decide, decideAll } from '../../src/decide/decide.js';
import { EMPTY_DECISION_STATE, recordAssignment, recordImpression, type DecisionState } from '../../src/decide/decision-state.js';
import { exposureFor, newPageView } from '../../src/decide/page-view.js';
import { compile, experience, input, NOW, viewed } from './decide-support.js';

const ARMS = [
  { id: 'control', content: 'control' },
  { id: 'treatment', content: 'treatment' },
];

/** An experience "hero" running experiment `id` over control/treatment, and a fallback below it. */
function ab(experiment: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, arms: unknown[] = ARMS) {
  return compile([
    experience('hero', 'home', { priority: 1, variants: arms, default: 'control', experiment: { id: 'hero-test', ...experiment }, ...extra }),
    experience('fallback', 'home', { priority: 0 }),
  ]);
}

const stored = (variant: string, unit = 'anon-1', id = 'hero-test'): DecisionState => recordAssignment(EMPTY_DECISION_STATE, id, { unit, variant, at: 1 });

/** Anonymous ids that assignVariant puts in each arm of an even control/treatment split. */
function unitsByArm(): Record<string, string> {
  const found: Record<string, string> = {};
  for (let i = 0; Object.keys(found).length < 2; i++) {
    const result = assignVariant({ id: 'hero-test', variants: [{ id: 'control' }, { id: 'treatment' }] }, `anon-${i}`);
    if (result.status === 'assigned') found[result.variant] ??= `anon-${i}`;
  }
  return found;
}

describe('experiments: assignment', () => {
  it('serves the variant assignVariant gives the anonymous id, with the experiment in the decision', () => {
    for (const [arm, unit] of Object.entries(unitsByArm())) {
      expect(decide(ab(), 'home', input({ units: { anonymousId: unit } }))).toMatchObject({
        reason: 'matched',
        experience: 'hero',
        variant: arm,
        content: { value: arm },
        experiment: { id: 'hero-test', variant: arm },
      });
    }
  });

  it('reports a first assignment through onAssign so the client can keep it', () => {
    const onAssign = vi.fn();
    const { treatment } = unitsByArm();
    decide(ab(), 'home', input({ units: { anonymousId: treatment }, onAssign }));
    expect(onAssign).toHaveBeenCalledWith('hero-test', { unit: treatment, variant: 'treatment', at: NOW });
  });

  it('does not report an assignment the state already holds', () => {
    const onAssign = vi.fn();
    decide(ab(), 'home', input({ state: stored('treatment'), onAssign }));
    expect(onAssign).not.toHaveBeenCalled();
  });

  it('keeps a stored assignment when the weights change', () => {
    const allControl = [{ id: 'control', weight: 1, content: 'control' }, { id: 'treatment', weight: 0, content: 'treatment' }];
    expect(decide(ab({}, {}, allControl), 'home', input({ state: stored('treatment') })).variant).toBe('treatment');
  });

  it('assigns afresh when the experiment id changes', () => {
    const onlyTreatment = [{ id: 'control', weight: 0, content: 'control' }, { id: 'treatment', weight: 1, content: 'treatment' }];
    const decision = decide(ab({ id: 'hero-test-2' }, {}, onlyTreatment), 'home', input({ state: stored('control') }));
    expect(decision.experiment).toEqual({ id: 'hero-test-2', variant: 'treatment' });
  });

  it('assigns afresh when the stored variant was removed from the bundle', () => {
    const onAssign = vi.fn();
    const decision = decide(ab(), 'home', input({ state: stored('retired'), onAssign }));
    expect(['control', 'treatment']).toContain(decision.variant);
    expect(onAssign).toHaveBeenCalledWith('hero-test', expect.objectContaining({ variant: decision.variant }));
  });

  it('assigns afresh for another visitor on the same device', () => {
    const { control, treatment } = unitsByArm();
    expect(decide(ab(), 'home', input({ units: { anonymousId: control }, state: stored('treatment', treatment!) })).variant).toBe('control');
  });

  it('keeps a stored assignment through a JSON round trip of the state', () => {
    const state = JSON.parse(JSON.stringify(stored('treatment', 'someone-else-entirely'))) as DecisionState;
    expect(decide(ab(), 'home', input({ units: { anonymousId: 'someone-else-entirely' }, state })).variant).toBe('treatment');
  });

  it('only assigns visitors in the audience', () => {
    const onAssign = vi.fn();
    expect(decide(ab({}, { audience: viewed(1) }), 'home', input({ onAssign })).experience).toBe('fallback');
    expect(onAssign).not.toHaveBeenCalled();
  });

  it('assigns nothing without consent', () => {
    const onAssign = vi.fn();
    expect(decide(ab(), 'home', input({ personalizationAllowed: false, onAssign })).reason).toBe('default-no-consent');
    expect(onAssign).not.toHaveBeenCalled();
  });
});

describe('experiments: units, traffic, holdout', () => {
  it('hashes the user id when the experiment says so', () => {
    const expected = assignVariant({ id: 'hero-test', variants: [{ id: 'control' }, { id: 'treatment' }] }, 'user-7');
    const decision = decide(ab({ unit: 'userId' }), 'home', input({ units: { anonymousId: 'anon-1', userId: 'user-7' } }));
    expect(expected.status).toBe('assigned');
    expect(decision.variant).toBe(expected.status === 'assigned' ? expected.variant : '');
  });

  it('keeps visitors without a user id out of a user-id experiment: the next candidate is served', () => {
    expect(decide(ab({ unit: 'userId' }), 'home', input())).toMatchObject({ experience: 'fallback', reason: 'matched' });
  });

  it('reports not-in-traffic when the visitor is outside the traffic and nothing else matches', () => {
    const compiled = compile([experience('hero', 'home', { experiment: { id: 'hero-test', traffic: 0 } })]);
    expect(decide(compiled, 'home', input())).toMatchObject({ reason: 'not-in-traffic', experience: null, content: { value: 'hero-default' } });
  });

  it('lets the next candidate try when the visitor is outside the traffic', () => {
    expect(decide(ab({ traffic: 0 }), 'home', input()).experience).toBe('fallback');
  });

  it('serves the slot default to the holdout and stops there', () => {
    expect(decide(ab({ holdout: 1 }), 'home', input())).toEqual({
      slot: 'home',
      experience: 'hero',
      variant: 'control',
      content: { type: 'text', value: 'control' },
      reason: 'holdout',
      experiment: { id: 'hero-test', variant: 'holdout' },
    });
  });

  it('records a holdout assignment as "holdout" and keeps it when the holdout share changes', () => {
    const onAssign = vi.fn();
    decide(ab({ holdout: 1 }), 'home', input({ onAssign }));
    expect(onAssign).toHaveBeenCalledWith('hero-test', { unit: 'anon-1', variant: 'holdout', at: NOW });
    expect(decide(ab({ holdout: 0 }), 'home', input({ state: stored('holdout') })).reason).toBe('holdout');
  });
});

describe('experiments: multivariate', () => {
  const factors = [
    { id: 'headline', levels: [{ id: 'short', content: 'h-short' }, { id: 'long', content: 'h-long' }] },
    { id: 'button', levels: [{ id: 'green', content: 'b-green' }, { id: 'blue', content: 'b-blue' }] },
  ];
  const mvt = (f: unknown[] = factors) => compile([experience('hero', 'home', { experiment: { id: 'mvt', factors: f } })]);

  it('serves the levels assignFactors gives, as one variant key with each factor content', () => {
    const expected = assignFactors({ id: 'mvt', factors: factors.map((f) => ({ id: f.id, levels: f.levels.map((l) => ({ id: l.id })) })) }, 'anon-1');
    if (expected.status !== 'assigned') throw new Error('expected an assignment');
    const decision = decide(mvt(), 'home', input());
    expect(decision).toMatchObject({
      reason: 'matched',
      variant: expected.variant,
      experiment: { id: 'mvt', variant: expected.variant, levels: expected.levels },
      parts: { headline: { value: `h-${expected.levels.headline}` }, button: { value: `b-${expected.levels.button}` } },
      content: { value: `h-${expected.levels.headline}` },
    });
  });

  it('keeps stored levels when the weights change', () => {
    const state = recordAssignment(EMPTY_DECISION_STATE, 'mvt', { unit: 'anon-1', variant: 'headline=long|button=blue', levels: { headline: 'long', button: 'blue' }, at: 1 });
    const reweighted = factors.map((f) => ({ ...f, levels: f.levels.map((l, i) => ({ ...l, weight: i === 0 ? 1 : 0 })) }));
    expect(decide(mvt(reweighted), 'home', input({ state })).variant).toBe('headline=long|button=blue');
  });

  it('assigns afresh when a stored level was removed', () => {
    const state = recordAssignment(EMPTY_DECISION_STATE, 'mvt', { unit: 'anon-1', variant: 'headline=long|button=red', levels: { headline: 'long', button: 'red' }, at: 1 });
    expect(decide(mvt(), 'home', input({ state })).experiment?.levels?.button).toMatch(/^(green|blue)$/);
  });
});

describe('experiments: forcing', () => {
  it('serves the forced variant whatever the audience, schedule, caps and traffic', () => {
    const compiled = ab({ traffic: 0 }, { audience: { rule: false }, schedule: { end: '2020-01-01T00:00:00Z' }, cap: { count: 1, per: 'lifetime' } });
    const state = recordImpression(EMPTY_DECISION_STATE, 'hero', 's1', NOW);
    expect(decide(compiled, 'home', input({ state, forced: { 'hero-test': 'treatment' } }))).toEqual({
      slot: 'home',
      experience: 'hero',
      variant: 'treatment',
      content: { type: 'text', value: 'treatment' },
      reason: 'forced',
      experiment: { id: 'hero-test', variant: 'treatment' },
      forced: true,
    });
  });

  it('puts the forced experience before higher-priority experiences of its slot', () => {
    const compiled = compile([experience('top', 'home', { priority: 9 }), experience('hero', 'home', { experiment: { id: 'hero-test' } })]);
    expect(decide(compiled, 'home', input({ forced: { 'hero-test': 'hero' } })).experience).toBe('hero');
  });

  it('applies without personalization consent and records nothing', () => {
    const onAssign = vi.fn();
    expect(decide(ab(), 'home', input({ personalizationAllowed: false, forced: { 'hero-test': 'control' }, onAssign })).reason).toBe('forced');
    expect(onAssign).not.toHaveBeenCalled();
  });

  it('ignores a forced variant the experiment does not have', () => {
    expect(decide(ab({ traffic: 0 }), 'home', input({ forced: { 'hero-test': 'nope' } })).experience).toBe('fallback');
  });

  it('forces a multivariate combination given in any factor order', () => {
    const compiled = compile([
      experience('hero', 'home', {
        experiment: { id: 'mvt', factors: [{ id: 'a', levels: [{ id: 'x', content: 'ax' }, { id: 'y', content: 'ay' }] }, { id: 'b', levels: [{ id: 'z', content: 'bz' }] }] },
      }),
    ]);
    expect(decide(compiled, 'home', input({ forced: { mvt: 'b=z|a=y' } }))).toMatchObject({ reason: 'forced', variant: 'a=y|b=z', content: { value: 'ay' } });
  });

  it('lets a forced experience take its exclusion group from higher-priority members', () => {
    const compiled = compile([
      experience('banner', 'hero', { priority: 9, group: 'g' }),
      experience('popup', 'modal', { priority: 1, group: 'g', experiment: { id: 'popup-test' } }),
    ]);
    const decisions = decideAll(compiled, input({ forced: { 'popup-test': 'popup' } }));
    expect(decisions.map((d) => d.reason)).toEqual(['capped', 'forced']);
  });

  it('explains how to force a multivariate combination', () => {
    const compiled = compile([
      experience('hero', 'home', { experiment: { id: 'mvt', factors: [{ id: 'a', levels: [{ id: 'x', content: 'ax' }] }, { id: 'b', levels: [{ id: 'z', content: 'bz' }] }] } }),
    ]);
    expect(forceProblem(compiled, 'mvt', 'a=x|b=z')).toBeUndefined();
    expect(forceProblem(compiled, 'mvt', 'a=x')).toBe('experiment "mvt" is multivariate: force one level of every factor, e.g. "a=x|b=z"');
  });

  it('explains why a forced variant cannot apply', () => {
    const compiled = ab();
    expect(forceProblem(compiled, 'hero-test', 'treatment')).toBeUndefined();
    expect(forceProblem(compiled, 'nope', 'x')).toBe('the bundle has no experiment "nope"');
    expect(forceProblem(compiled, 'hero-test', 'x')).toBe('experiment "hero-test" has no variant "x" (it has "control", "treatment")');
  });
});

describe('exposureFor', () => {
  it('reports an experiment once per page view', () => {
    const decision = decide(ab(), 'home', input({ state: stored('treatment') }));
    const pageView = newPageView();
    expect(exposureFor(decision, pageView)).toEqual({ experiment: 'hero-test', variant: 'treatment', experience: 'hero', slot: 'home' });
    expect(exposureFor(decision, pageView)).toBeUndefined();
    expect(exposureFor(decision, newPageView())).toBeDefined();
  });

  it('reports the holdout group as variant "holdout"', () => {
    expect(exposureFor(decide(ab({ holdout: 1 }), 'home', input()), newPageView())).toMatchObject({ variant: 'holdout', experience: 'hero' });
  });

  it('reports the levels of a multivariate test', () => {
    const compiled = compile([experience('hero', 'home', { experiment: { id: 'mvt', factors: [{ id: 'a', levels: [{ id: 'x', content: 'ax' }] }] } })]);
    expect(exposureFor(decide(compiled, 'home', input()), newPageView())).toEqual({ experiment: 'mvt', variant: 'a=x', levels: { a: 'x' }, experience: 'hero', slot: 'home' });
  });

  it('reports nothing for a forced decision or one without an experiment', () => {
    expect(exposureFor(decide(ab(), 'home', input({ forced: { 'hero-test': 'control' } })), newPageView())).toBeUndefined();
    expect(exposureFor(decide(ab({ traffic: 0 }), 'home', input()), newPageView())).toBeUndefined();
  });
});

describe('activeAssignments and pruneDecisionState', () => {
  const state = [
    ['hero-test', 'treatment', 'anon-1'],
    ['gone-test', 'a', 'anon-1'],
  ].reduce<DecisionState>((s, [id, variant, unit]) => recordAssignment(s, id!, { unit: unit!, variant: variant!, at: 1 }), EMPTY_DECISION_STATE);

  it('lists the stored assignments of the bundle experiments', () => {
    expect(activeAssignments(ab(), state)).toEqual({ 'hero-test': 'treatment' });
  });

  it('includes holdouts, so reports can compare them', () => {
    expect(activeAssignments(ab(), stored('holdout'))).toEqual({ 'hero-test': 'holdout' });
  });

  it('leaves out assignments of another unit and variants the bundle no longer has', () => {
    expect(activeAssignments(ab(), state, { anonymousId: 'anon-2' })).toEqual({});
    expect(activeAssignments(ab(), stored('retired'))).toEqual({});
  });

  it('returns the same object while the inputs are the same', () => {
    const compiled = ab();
    expect(activeAssignments(compiled, state)).toBe(activeAssignments(compiled, state));
  });

  it('drops assignments and counters the bundle has no use for', () => {
    const withCaps = recordImpression(recordImpression(state, 'hero', 's1', NOW), 'old-experience', 's1', NOW);
    const pruned = pruneDecisionState(ab(), withCaps);
    expect(Object.keys(pruned.assignments)).toEqual(['hero-test']);
    expect(Object.keys(pruned.caps)).toEqual(['hero']);
    expect(pruneDecisionState(ab(), pruned)).toBe(pruned);
  });
});
