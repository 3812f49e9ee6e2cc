import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { decideAll } from '../../src/decide/decide.js';
import { createBundleScores } from '../../src/decide/scores.js';
import { sigmoid } from '../../src/models/logistic.js';
import { logisticModel, treeModel } from '../models/small-models.js';
import { data, experience, input, rawBundle } from './decide-support.js';

/*
 * The score operator: {"score": "model-id"} reads a bundle model's score for the rule's data.
 * logisticModel: sigmoid(-1 + 0.5 * (views - 2) / 4 + 2 * vip), views = product_view events in 7 days
 * (from the host: none here, so the feature is 0 after its default), vip = the segment.
 */
const vip = { id: 'vip', when: { '==': [{ var: 'profile.traits.tier' }, 'gold'] } };
const likely = (id: string, slot: string, at: number) => experience(id, slot, { audience: { rule: { '>=': [{ score: 'buy-propensity' }, at] } } });
const gold = data(0, { traits: { tier: 'gold' } });
const plain = data(0, { traits: { tier: 'silver' } });
/** The model's score with no views (feature (0 - 2) / 4) and the vip feature 1 or 0. */
const expected = (isVip: number) => sigmoid(-1 + 0.5 * ((0 - 2) / 4) + 2 * isVip);

function compileWith(experiences: Record<string, unknown>[], models: unknown[], withPart = true) {
  const bundle = validateBundle(rawBundle(experiences, { segments: [vip], models }));
  return compileBundle(bundle, undefined, withPart ? { scores: createBundleScores } : {});
}

afterEach(() => vi.restoreAllMocks());

describe('the score operator', () => {
  it('reads the model score for the visitor: an audience "score >= threshold" matches exactly when it holds', () => {
    // expected(1) ≈ 0.679, expected(0) ≈ 0.223
    const compiled = compileWith([likely('offer', 'hero', 0.6)], [logisticModel()]);
    expect(decideAll(compiled, input({ data: gold }))[0]).toMatchObject({ experience: 'offer', reason: 'matched' });
    // Within the pass that decided (segments are evaluated once per pass, for its data):
    expect(compiled.score('buy-propensity', gold)).toBeCloseTo(expected(1), 12);
    expect(decideAll(compiled, input({ data: plain }))[0]).toMatchObject({ experience: null, reason: 'not-in-audience' });
    expect(compiled.score('buy-propensity', plain)).toBeCloseTo(expected(0), 12);
  });

  it('returns the score itself as a number rules can compare and compute with', () => {
    const compiled = compileWith([experience('band', 'hero', { audience: { rule: { '<': [0.2, { '*': [{ score: 'buy-propensity' }, 1] }, 0.3] } } })], [logisticModel()]);
    expect(decideAll(compiled, input({ data: plain }))[0]!.reason).toBe('matched'); // 0.223 is in (0.2, 0.3)
    expect(decideAll(compiled, input({ data: gold }))[0]!.reason).toBe('not-in-audience');
  });

  it('scores a tree ensemble (identity link) as the sum of its leaves', () => {
    const compiled = compileWith([experience('big', 'hero', { audience: { rule: { '==': [{ score: 'spend' }, 1.75] } } })], [treeModel()]);
    const spender = data(0, { rfm: { monetary: 150 }, traits: { age: 40 } }); // 1.5 + 0.25
    expect(decideAll(compiled, input({ data: spender }))[0]!.reason).toBe('matched');
    const saver = data(0, { rfm: { monetary: 50 }, traits: { age: 20 } });
    expect(decideAll(compiled, input({ data: saver }))[0]!.reason).toBe('not-in-audience');
    expect(compiled.score('spend', saver)).toBe(0.5 - 1);
  });

  it('computes a score once per decision pass however many rules read it', () => {
    const compiled = compileWith([likely('a', 'one', 0.9), likely('b', 'two', 0.8), likely('c', 'three', 0.1)], [logisticModel()]);
    const exp = vi.spyOn(Math, 'exp');
    expect(decideAll(compiled, input({ data: gold })).map((d) => d.reason)).toEqual(['not-in-audience', 'not-in-audience', 'matched']);
    expect(exp).toHaveBeenCalledTimes(1);
    decideAll(compiled, input({ data: plain }));
    expect(exp).toHaveBeenCalledTimes(2); // a new pass, new data: scored again
  });

  it('fails only the rules reading a model that cannot score: their slot shows its default with the reason', () => {
    const broken = logisticModel({ weights: [0.5] }); // two features, one weight
    const compiled = compileWith([likely('offer', 'hero', 0.1), experience('other', 'side', { audience: { rule: true } })], [broken]);
    const [hero, side] = decideAll(compiled, input({ data: gold }));
    expect(hero).toMatchObject({ slot: 'hero', experience: null, variant: 'default', reason: 'error' });
    expect(hero!.message).toMatch(/model "buy-propensity" cannot score: .*weights/);
    expect(side).toMatchObject({ experience: 'other', reason: 'matched' });
  });

  it('fails only the rules reading a score when the model code could not be loaded', () => {
    const compiled = compileWith([likely('offer', 'hero', 0.1), experience('other', 'side', { audience: { rule: true } })], [logisticModel()], false);
    const [hero, side] = decideAll(compiled, input({ data: gold }));
    expect(hero).toMatchObject({ experience: null, reason: 'error' });
    expect(hero!.message).toMatch(/model code could not be loaded/);
    expect(side).toMatchObject({ experience: 'other', reason: 'matched' });
  });

  it('rejects the bundle for a score of a model it does not have, naming the rule and the models it has', () => {
    expect(() => compileWith([experience('x', 'hero', { audience: { rule: { score: 'nope' } } })], [logisticModel()])).toThrow(
      /experience "x" audience\.rule: .*no model "nope" \(models\[\] ids: buy-propensity\)/,
    );
    expect(() => compileWith([experience('x', 'hero', { audience: { rule: { score: 'nope' } } })], [])).toThrow(/experience "x" audience\.rule: .*no models\[\]/);
  });

  it('rejects a model id that is not a constant string', () => {
    expect(() => compileWith([experience('x', 'hero', { audience: { rule: { score: [{ var: 'context.model' }] } } })], [logisticModel()])).toThrow(/constant string/);
    expect(() => compileWith([experience('x', 'hero', { audience: { rule: { score: [] } } })], [logisticModel()])).toThrow(/\["model-id"\]/);
  });

  it('lets a segment use a score, and a model feature use a segment', () => {
    const likelyBuyers = { id: 'likely', when: { '>': [{ score: 'buy-propensity' }, 0.5] } };
    const bundle = validateBundle(rawBundle([experience('offer', 'hero', { audience: { segment: 'likely' } })], { segments: [vip, likelyBuyers], models: [logisticModel()] }));
    const compiled = compileBundle(bundle, undefined, { scores: createBundleScores });
    expect(decideAll(compiled, input({ data: gold }))[0]!.reason).toBe('matched');
    expect(decideAll(compiled, input({ data: plain }))[0]!.reason).toBe('not-in-audience');
  });

  it('fails a model whose features read its own score instead of recursing without end', () => {
    const selfish = logisticModel({ features: [{ name: 'me', from: { score: 'buy-propensity' } }, { name: 'vip', from: { segment: 'vip' } }] });
    const compiled = compileWith([likely('offer', 'hero', 0.1)], [selfish]);
    const [hero] = decideAll(compiled, input({ data: gold }));
    expect(hero).toMatchObject({ reason: 'error' });
    expect(hero!.message).toMatch(/reads its own score/);
  });
});

describe('decisions report the scores they used', () => {
  it('gives a decision of an experience whose audience reads a score the score, and the same object while it is the same', () => {
    const compiled = compileWith([likely('offer', 'hero', 0.1), experience('plain', 'side', { audience: { rule: true } })], [logisticModel()]);
    const first = decideAll(compiled, input({ data: gold }));
    expect(first[0]).toMatchObject({ reason: 'matched', scores: { 'buy-propensity': expect.closeTo(expected(1), 12) } });
    expect(first[1]!.scores).toBeUndefined();
    expect(decideAll(compiled, input({ data: gold }))[0]).toBe(first[0]);
    const next = decideAll(compiled, input({ data: plain }))[0]!;
    expect(next).toMatchObject({ reason: 'matched', scores: { 'buy-propensity': expect.closeTo(expected(0), 12) } });
    expect(next).not.toBe(first[0]);
    expect(Object.isFrozen(next)).toBe(true);
  });

  it('reports the scores a segment of the audience read', () => {
    const likelyBuyers = { id: 'likely', when: { '>': [{ score: 'buy-propensity' }, 0.5] } };
    const bundle = validateBundle(rawBundle([experience('offer', 'hero', { audience: { segment: 'likely' } })], { segments: [vip, likelyBuyers], models: [logisticModel()] }));
    const decision = decideAll(compileBundle(bundle, undefined, { scores: createBundleScores }), input({ data: gold }))[0]!;
    expect(Object.keys(decision.scores ?? {})).toEqual(['buy-propensity']);
  });
});
