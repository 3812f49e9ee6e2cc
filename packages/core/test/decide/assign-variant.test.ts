import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assignFactors,
  assignVariant,
  pickByWeight,
  type AssignableExperiment,
  type AssignableMultivariate,
} from '../../src/decide/assign-variant.js';
import { murmur3_x86_32 } from '../../src/decide/murmur3.js';
import { naiveAssign, naiveAssignFactors, naiveMurmur3 } from './naive-assignment.js';

const UNITS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);

/** Chi-square critical values at p = 0.001, by degrees of freedom (standard tables). */
const CRITICAL_P001: Record<number, number> = { 1: 10.828, 2: 13.816, 3: 16.266 };

/** Pearson's goodness-of-fit statistic of `observed` counts against `shares` of their total. */
function goodnessOfFit(observed: number[], shares: number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  return observed.reduce((sum, o, i) => sum + (o - n * shares[i]!) ** 2 / (n * shares[i]!), 0);
}

/** Pearson's statistic for independence of the rows and columns of a contingency table. */
function independence(table: number[][]): number {
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = table[0]!.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  const n = rows.reduce((a, b) => a + b, 0);
  let chi = 0;
  table.forEach((row, i) =>
    row.forEach((o, j) => {
      const e = (rows[i]! * cols[j]!) / n;
      chi += (o - e) ** 2 / e;
    }),
  );
  return chi;
}

function countBy<T>(items: readonly T[], keys: readonly string[], keyOf: (item: T) => string): number[] {
  const counts = keys.map(() => 0);
  for (const item of items) {
    const index = keys.indexOf(keyOf(item));
    if (index < 0) throw new Error(`unexpected outcome ${keyOf(item)}`);
    counts[index]!++;
  }
  return counts;
}

const outcome = (result: { status: string; variant?: string }): string => (result.status === 'assigned' ? result.variant! : result.status);

describe('assignVariant', () => {
  // "19 Jan 2038 at 3:14:07 AM" hashes to 0xe31e8a70 (published: github.com/spaolacci/murmur3,
  // murmur_test.go), so experiment "19 Jan 2038 at 3" and unit "14:07 AM" sit at
  // u = 0xe31e8a70 / 2^32 = 0.88718…, and every step of the formula can be worked out by hand.
  const PUBLISHED = { experimentId: '19 Jan 2038 at 3', unitId: '14:07 AM', u: 0xe31e8a70 / 2 ** 32 };
  const published = (overrides: Partial<AssignableExperiment>): AssignableExperiment => ({
    id: PUBLISHED.experimentId,
    variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }],
    ...overrides,
  });

  it('reports u = murmur3(experimentId:unitId) / 2^32 from a published hash', () => {
    expect(assignVariant(published({}), PUBLISHED.unitId).u).toBe(PUBLISHED.u);
  });

  it('picks by cumulative weight from the published hash: u = 0.887 falls in the last 20%', () => {
    // Cumulative 0.5, 0.8, 1: 0.887 > 0.8 → c.
    expect(assignVariant(published({}), PUBLISHED.unitId)).toEqual({ status: 'assigned', variant: 'c', u: PUBLISHED.u });
    // Cumulative 0.2, 0.5, 1 in the other order → the last variant again, a.
    const reversed = published({ variants: [{ id: 'c', weight: 20 }, { id: 'b', weight: 30 }, { id: 'a', weight: 50 }] });
    expect(assignVariant(reversed, PUBLISHED.unitId)).toMatchObject({ variant: 'a' });
    // Cumulative 0.1, 0.95, 1 → b.
    const wide = published({ variants: [{ id: 'a', weight: 10 }, { id: 'b', weight: 85 }, { id: 'c', weight: 5 }] });
    expect(assignVariant(wide, PUBLISHED.unitId)).toMatchObject({ variant: 'b' });
  });

  it('holds the published unit out when holdout exceeds its u (0.9 > 0.887), not when below (0.85)', () => {
    expect(assignVariant(published({ holdout: 0.9 }), PUBLISHED.unitId).status).toBe('holdout');
    expect(assignVariant(published({ holdout: 0.85 }), PUBLISHED.unitId).status).toBe('assigned');
  });

  it('rescales past the holdout: holdout 0.5 gives v = 0.774, out of traffic 0.7, in traffic 0.8 with w = 0.968', () => {
    expect(assignVariant(published({ holdout: 0.5, traffic: 0.7 }), PUBLISHED.unitId).status).toBe('not-in-traffic');
    // w = 0.968 with weights 96/4: cumulative 0.96 < w → the second variant.
    const split = published({ holdout: 0.5, traffic: 0.8, variants: [{ id: 'big', weight: 96 }, { id: 'small', weight: 4 }] });
    expect(assignVariant(split, PUBLISHED.unitId)).toMatchObject({ status: 'assigned', variant: 'small' });
    const split97 = published({ holdout: 0.5, traffic: 0.8, variants: [{ id: 'big', weight: 97 }, { id: 'small', weight: 3 }] });
    expect(assignVariant(split97, PUBLISHED.unitId)).toMatchObject({ status: 'assigned', variant: 'big' });
  });

  it('gives the same unit the same variant on every call', () => {
    const experiment: AssignableExperiment = { id: 'hero-test', holdout: 0.1, traffic: 0.8, variants: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] };
    const first = UNITS.slice(0, 2000).map((unit) => assignVariant(experiment, unit));
    const again = UNITS.slice(0, 2000).map((unit) => assignVariant({ ...experiment, variants: [...experiment.variants] }, unit));
    expect(again).toEqual(first);
  });

  it('splits 100,000 units 50/30/20 within the chi-square critical value (p = 0.001, 2 df)', () => {
    const experiment: AssignableExperiment = { id: 'checkout-cta', variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }] };
    const counts = countBy(UNITS, ['a', 'b', 'c'], (unit) => outcome(assignVariant(experiment, unit)));
    expect(goodnessOfFit(counts, [0.5, 0.3, 0.2])).toBeLessThan(CRITICAL_P001[2]!);
  });

  it('splits evenly when no variant has a weight', () => {
    const experiment: AssignableExperiment = { id: 'even', variants: [{ id: 'x' }, { id: 'y' }, { id: 'z' }, { id: 'w' }] };
    const counts = countBy(UNITS, ['x', 'y', 'z', 'w'], (unit) => outcome(assignVariant(experiment, unit)));
    expect(goodnessOfFit(counts, [0.25, 0.25, 0.25, 0.25])).toBeLessThan(CRITICAL_P001[3]!);
  });

  it('treats weights as relative: 5/3/2 splits like 50/30/20, unit by unit', () => {
    const tens: AssignableExperiment = { id: 'rel', variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }] };
    const ones: AssignableExperiment = { id: 'rel', variants: [{ id: 'a', weight: 5 }, { id: 'b', weight: 3 }, { id: 'c', weight: 2 }] };
    const differing = UNITS.slice(0, 20_000).filter((unit) => outcome(assignVariant(tens, unit)) !== outcome(assignVariant(ones, unit)));
    expect(differing).toEqual([]);
  });

  it('holds out 10% and lets half of the rest in: 10/45/45 within the chi-square critical value', () => {
    const experiment: AssignableExperiment = { id: 'price-test', holdout: 0.1, traffic: 0.5, variants: [{ id: 'a' }] };
    const counts = countBy(UNITS, ['holdout', 'not-in-traffic', 'a'], (unit) => outcome(assignVariant(experiment, unit)));
    expect(goodnessOfFit(counts, [0.1, 0.45, 0.45])).toBeLessThan(CRITICAL_P001[2]!);
  });

  it('splits the admitted units by weight when holdout and traffic are set', () => {
    const experiment: AssignableExperiment = { id: 'gated', holdout: 0.2, traffic: 0.3, variants: [{ id: 'a', weight: 3 }, { id: 'b', weight: 1 }] };
    const admitted = UNITS.map((unit) => assignVariant(experiment, unit)).filter((result) => result.status === 'assigned');
    const counts = countBy(admitted, ['a', 'b'], outcome);
    expect(goodnessOfFit(counts, [0.75, 0.25])).toBeLessThan(CRITICAL_P001[1]!);
  });

  it('keeps everyone in the experiment by default (traffic 1, holdout 0)', () => {
    const experiment: AssignableExperiment = { id: 'defaults', variants: [{ id: 'only' }] };
    expect(UNITS.slice(0, 20_000).every((unit) => assignVariant(experiment, unit).status === 'assigned')).toBe(true);
  });

  it('holds everyone out with holdout 1 and lets nobody in with traffic 0', () => {
    const units = UNITS.slice(0, 20_000);
    expect(units.every((unit) => assignVariant({ id: 'h', holdout: 1, variants: [{ id: 'a' }] }, unit).status === 'holdout')).toBe(true);
    expect(units.every((unit) => assignVariant({ id: 't', traffic: 0, variants: [{ id: 'a' }] }, unit).status === 'not-in-traffic')).toBe(true);
  });

  it('never picks a variant with weight 0', () => {
    const experiment: AssignableExperiment = { id: 'zero', variants: [{ id: 'off', weight: 0 }, { id: 'a' }, { id: 'never', weight: 0 }, { id: 'b' }, { id: 'last-off', weight: 0 }] };
    const counts = countBy(UNITS, ['a', 'b', 'off', 'never', 'last-off'], (unit) => outcome(assignVariant(experiment, unit)));
    expect(counts.slice(2)).toEqual([0, 0, 0]);
    expect(goodnessOfFit(counts.slice(0, 2), [0.5, 0.5])).toBeLessThan(CRITICAL_P001[1]!);
  });

  it('assigns the same unit independently in two experiments (no carry-over between tests)', () => {
    const first: AssignableExperiment = { id: 'exp-one', variants: [{ id: 'a' }, { id: 'b' }] };
    const second: AssignableExperiment = { id: 'exp-two', variants: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] };
    const table = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const unit of UNITS) {
      const row = outcome(assignVariant(first, unit)) === 'a' ? 0 : 1;
      table[row]![['a', 'b', 'c'].indexOf(outcome(assignVariant(second, unit)))]!++;
    }
    expect(independence(table)).toBeLessThan(CRITICAL_P001[2]!);
  });

  it('hashes unicode ids as UTF-8', () => {
    const experiment: AssignableExperiment = { id: 'héro-🌵', variants: [{ id: 'a' }, { id: 'b' }] };
    const result = assignVariant(experiment, 'ユーザー-42');
    expect(result.u).toBe(naiveMurmur3(Buffer.from('héro-🌵:ユーザー-42', 'utf8')) / 2 ** 32);
  });

  describe('with invalid input, returns not-in-traffic instead of throwing', () => {
    // This experiment admits every unit, so not-in-traffic below can only come from the invalid field.
    const valid: AssignableExperiment = { id: 'valid', variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] };
    const cases: [string, unknown][] = [
      ['a negative weight', { ...valid, variants: [{ id: 'a', weight: -1 }, { id: 'b' }] }],
      ['all weights zero', { ...valid, variants: [{ id: 'a', weight: 0 }, { id: 'b', weight: 0 }] }],
      ['a NaN weight', { ...valid, variants: [{ id: 'a', weight: Number.NaN }, { id: 'b' }] }],
      ['an infinite weight', { ...valid, variants: [{ id: 'a', weight: Infinity }, { id: 'b' }] }],
      ['weights summing to infinity', { ...valid, variants: [{ id: 'a', weight: 1e308 }, { id: 'b', weight: 1e308 }] }],
      ['a string weight', { ...valid, variants: [{ id: 'a', weight: '1' }, { id: 'b' }] }],
      ['a null weight', { ...valid, variants: [{ id: 'a', weight: null }] }],
      ['a variant that is not an object', { ...valid, variants: ['a'] }],
      ['a variant without an id', { ...valid, variants: [{ weight: 1 }] }],
      ['no variants', { ...valid, variants: [] }],
      ['variants that are not a list', { ...valid, variants: { a: 1 } }],
      ['traffic above 1', { ...valid, traffic: 1.5 }],
      ['traffic below 0', { ...valid, traffic: -0.1 }],
      ['traffic NaN', { ...valid, traffic: Number.NaN }],
      ['holdout above 1', { ...valid, holdout: 2 }],
      ['holdout below 0', { ...valid, holdout: -0.5 }],
      ['a string holdout', { ...valid, holdout: '0.1' }],
    ];
    const units = UNITS.slice(0, 200);

    it('admits every unit into the valid experiment these cases start from', () => {
      expect(units.every((unit) => assignVariant(valid, unit).status === 'assigned')).toBe(true);
    });

    it.each(cases)('%s', (_name, experiment) => {
      for (const unit of units) {
        const result = assignVariant(experiment as AssignableExperiment, unit);
        expect(result).toEqual({ status: 'not-in-traffic', u: murmur3_x86_32(`valid:${unit}`) / 2 ** 32 });
      }
    });

    it('a unit id that is not a string (u is NaN)', () => {
      for (const unit of [42, null, undefined, {}, ['user-1']]) {
        expect(assignVariant(valid, unit as unknown as string)).toEqual({ status: 'not-in-traffic', u: Number.NaN });
      }
    });

    it('an experiment that is not an object or has no string id (u is NaN)', () => {
      for (const experiment of [null, undefined, 'valid', { ...valid, id: 7 }]) {
        expect(assignVariant(experiment as unknown as AssignableExperiment, 'user-1')).toEqual({ status: 'not-in-traffic', u: Number.NaN });
      }
    });
  });
});

describe('pickByWeight', () => {
  const options = [{ id: 'a', weight: 1 }, { id: 'zero', weight: 0 }, { id: 'b', weight: 1 }, { id: 'tail', weight: 0 }];

  it('picks the first option whose cumulative normalized weight exceeds w (strictly)', () => {
    expect(pickByWeight(options, 0)).toBe('a');
    expect(pickByWeight(options, 0.4999999999999999)).toBe('a');
    expect(pickByWeight(options, 0.5)).toBe('b'); // 0.5 does not exceed 0.5; the zero weight is skipped
  });

  it('picks the last option with a positive weight when rounding pushes w to 1', () => {
    expect(pickByWeight(options, 0.9999999999999999)).toBe('b');
    expect(pickByWeight(options, 1)).toBe('b');
  });

  it('reaches exactly 1 on the last positive weight even when the weights do not sum exactly (0.1 + 0.2)', () => {
    const fractions = [{ id: 'x', weight: 0.1 }, { id: 'y', weight: 0.2 }];
    expect(pickByWeight(fractions, 0.9999999999999999)).toBe('y');
  });

  it('returns undefined for options no unit can be assigned to', () => {
    expect(pickByWeight([], 0.5)).toBeUndefined();
    expect(pickByWeight([{ id: 'a', weight: 0 }], 0.5)).toBeUndefined();
  });
});

describe('assignFactors', () => {
  const mvt: AssignableMultivariate = {
    id: 'landing-mvt',
    factors: [
      { id: 'headline', levels: [{ id: 'a' }, { id: 'b' }] },
      { id: 'button', levels: [{ id: 'green', weight: 2 }, { id: 'blue', weight: 1 }, { id: 'red', weight: 1 }] },
    ],
  };

  it('picks a factor level from the published hash of experimentId:factorId:unitId', () => {
    // "19 Jan 2038 at 3" + ":" + "14" + ":" + "07 AM" = the published string (u = 0.887); the default
    // gate admits everyone, so the level comes from that hash alone: cumulative 0.5, 1 → the second.
    const experiment: AssignableMultivariate = { id: '19 Jan 2038 at 3', factors: [{ id: '14', levels: [{ id: 'first' }, { id: 'second' }] }] };
    expect(assignFactors(experiment, '07 AM')).toMatchObject({ status: 'assigned', variant: '14=second', levels: { '14': 'second' } });
    const uneven: AssignableMultivariate = { id: '19 Jan 2038 at 3', factors: [{ id: '14', levels: [{ id: 'first', weight: 9 }, { id: 'second' }] }] };
    expect(assignFactors(uneven, '07 AM')).toMatchObject({ variant: '14=first' });
  });

  it('reports the levels in factor order as factorId=levelId joined with |', () => {
    const result = assignFactors(mvt, 'user-0');
    if (result.status !== 'assigned') throw new Error('expected an assignment');
    expect(result.variant).toBe(`headline=${result.levels.headline}|button=${result.levels.button}`);
    expect(Object.keys(result.levels)).toEqual(['headline', 'button']);
    const swapped = assignFactors({ ...mvt, factors: [mvt.factors[1]!, mvt.factors[0]!] }, 'user-0');
    expect(swapped).toMatchObject({ variant: `button=${result.levels.button}|headline=${result.levels.headline}` });
  });

  it('gates on the same experimentId:unitId hash as assignVariant', () => {
    const gated: AssignableMultivariate = { ...mvt, holdout: 0.15, traffic: 0.6 };
    const single: AssignableExperiment = { id: gated.id, holdout: 0.15, traffic: 0.6, variants: [{ id: 'x' }] };
    const mismatched = UNITS.slice(0, 5000).filter((unit) => {
      const a = assignFactors(gated, unit);
      const b = assignVariant(single, unit);
      return a.status !== b.status || a.u !== b.u;
    });
    expect(mismatched).toEqual([]);
  });

  it('picks each factor by its weights: 50/50 and 50/25/25 within the chi-square critical values', () => {
    const results = UNITS.map((unit) => assignFactors(mvt, unit));
    const levels = results.map((result) => (result.status === 'assigned' ? result.levels : {}));
    expect(goodnessOfFit(countBy(levels, ['a', 'b'], (l) => l.headline!), [0.5, 0.5])).toBeLessThan(CRITICAL_P001[1]!);
    expect(goodnessOfFit(countBy(levels, ['green', 'blue', 'red'], (l) => l.button!), [0.5, 0.25, 0.25])).toBeLessThan(CRITICAL_P001[2]!);
  });

  it('assigns factors independently of each other (chi-square on the 2 × 3 table, 2 df)', () => {
    const table = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const unit of UNITS) {
      const result = assignFactors(mvt, unit);
      if (result.status !== 'assigned') throw new Error('expected an assignment');
      table[['a', 'b'].indexOf(result.levels.headline!)]![['green', 'blue', 'red'].indexOf(result.levels.button!)]!++;
    }
    expect(independence(table)).toBeLessThan(CRITICAL_P001[2]!);
  });

  it('assigns levels independently of the gate: among admitted units, levels do not depend on u', () => {
    const gated: AssignableMultivariate = { ...mvt, holdout: 0.1, traffic: 0.5 };
    const admitted = UNITS.map((unit) => assignFactors(gated, unit)).filter((result) => result.status === 'assigned');
    // Admitted units have u in [0.1, 0.55); split them at 0.325 and compare the level mix of each half.
    const table = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const result of admitted) table[result.u < 0.325 ? 0 : 1]![['green', 'blue', 'red'].indexOf(result.levels.button!)]!++;
    expect(independence(table)).toBeLessThan(CRITICAL_P001[2]!);
    const buttons = countBy(admitted, ['green', 'blue', 'red'], (result) => result.levels.button!);
    expect(goodnessOfFit(buttons, [0.5, 0.25, 0.25])).toBeLessThan(CRITICAL_P001[2]!);
  });

  it('keeps a factor named __proto__ as an ordinary key of levels', () => {
    const result = assignFactors({ id: 'proto', factors: [{ id: '__proto__', levels: [{ id: 'x' }] }] }, 'user-1');
    expect(result).toMatchObject({ status: 'assigned', variant: '__proto__=x' });
    if (result.status === 'assigned') expect(Object.getOwnPropertyDescriptor(result.levels, '__proto__')?.value).toBe('x');
  });

  describe('with invalid input, returns not-in-traffic instead of throwing', () => {
    const units = UNITS.slice(0, 200);
    const cases: [string, unknown][] = [
      ['no factors', { ...mvt, factors: [] }],
      ['factors that are not a list', { ...mvt, factors: 'headline' }],
      ['a repeated factor id', { ...mvt, factors: [mvt.factors[0], mvt.factors[0]] }],
      ['a factor without levels', { ...mvt, factors: [{ id: 'headline', levels: [] }] }],
      ['a factor whose weights are all zero', { ...mvt, factors: [mvt.factors[0], { id: 'button', levels: [{ id: 'x', weight: 0 }] }] }],
      ['a factor with a negative weight', { ...mvt, factors: [{ id: 'headline', levels: [{ id: 'a', weight: -2 }, { id: 'b' }] }] }],
      ['a factor without an id', { ...mvt, factors: [{ levels: [{ id: 'a' }] }] }],
      ['a factor that is null', { ...mvt, factors: [null] }],
      ['traffic above 1', { ...mvt, traffic: 3 }],
      ['holdout below 0', { ...mvt, holdout: -1 }],
    ];

    it('admits every unit into the valid experiment these cases start from', () => {
      expect(units.every((unit) => assignFactors(mvt, unit).status === 'assigned')).toBe(true);
    });

    it.each(cases)('%s', (_name, experiment) => {
      for (const unit of units) {
        expect(assignFactors(experiment as AssignableMultivariate, unit)).toEqual({ status: 'not-in-traffic', u: murmur3_x86_32(`landing-mvt:${unit}`) / 2 ** 32 });
      }
    });

    it('a unit id that is not a string (u is NaN)', () => {
      expect(assignFactors(mvt, 42 as unknown as string)).toEqual({ status: 'not-in-traffic', u: Number.NaN });
    });
  });
});

describe('published test vectors (packages/core/test-vectors/assignment.json)', () => {
  interface HashVector {
    input?: string;
    bytes: string;
    seed: number;
    hex: string;
    decimal: number;
    source: string;
  }
  interface AssignmentVector {
    description: string;
    valid: boolean;
    experiment: AssignableExperiment & AssignableMultivariate;
    unitId: string;
    key: string;
    utf8?: string;
    hash: { hex: string; decimal: number };
    u: number;
    factorHashes?: { factorId: string; key: string; hash: { hex: string; decimal: number }; u: number }[];
    expected: { status: string; variant?: string; levels?: Record<string, string> };
  }
  const vectors = JSON.parse(readFileSync(new URL('../../test-vectors/assignment.json', import.meta.url), 'utf8')) as {
    murmur3Vectors: HashVector[];
    assignVariant: AssignmentVector[];
    assignFactors: AssignmentVector[];
  };

  it('give every murmur3 hash in hex and decimal, equal to the naive reference over the listed bytes', () => {
    for (const v of vectors.murmur3Vectors) {
      const bytes = new Uint8Array(Buffer.from(v.bytes, 'hex'));
      if (v.input !== undefined) expect(Buffer.from(v.input, 'utf8').toString('hex')).toBe(v.bytes);
      expect(naiveMurmur3(bytes, v.seed)).toBe(v.decimal);
      expect(parseInt(v.hex, 16)).toBe(v.decimal);
    }
  });

  it('are reproduced by murmur3_x86_32 on the strings and on the bytes', () => {
    for (const v of vectors.murmur3Vectors) {
      expect(murmur3_x86_32(new Uint8Array(Buffer.from(v.bytes, 'hex')), v.seed)).toBe(v.decimal);
      if (v.input !== undefined) expect(murmur3_x86_32(v.input, v.seed)).toBe(v.decimal);
    }
  });

  it('cover holdout, not-in-traffic, uneven and zero weights, unicode ids and invalid experiments', () => {
    const statuses = new Set(vectors.assignVariant.map((v) => v.expected.status));
    expect([...statuses].sort()).toEqual(['assigned', 'holdout', 'not-in-traffic']);
    expect(vectors.assignVariant.some((v) => v.experiment.traffic !== undefined && v.experiment.traffic < 1 && v.expected.status === 'assigned')).toBe(true);
    expect(vectors.assignVariant.some((v) => v.experiment.variants.some((variant) => variant.weight === 0))).toBe(true);
    expect(vectors.assignVariant.some((v) => new Set(v.experiment.variants.map((variant) => variant.weight)).size > 1)).toBe(true);
    expect(vectors.assignVariant.some((v) => /[^\0-\x7f]/.test(v.unitId + v.experiment.id))).toBe(true);
    expect(vectors.assignVariant.some((v) => !v.valid)).toBe(true);
    expect(new Set(vectors.assignFactors.map((v) => v.expected.status)).size).toBe(3);
  });

  it('match the naive implementation of the formula, hash by hash (assignVariant)', () => {
    for (const v of vectors.assignVariant) {
      expect(v.key).toBe(`${v.experiment.id}:${v.unitId}`);
      expect(naiveMurmur3(v.key)).toBe(v.hash.decimal);
      expect(v.u).toBe(v.hash.decimal / 2 ** 32);
      const expected = v.valid ? naiveAssign(v.experiment, v.unitId) : { status: 'not-in-traffic', u: v.u };
      expect({ ...v.expected, u: v.u }, v.description).toEqual(expected);
    }
  });

  it('are reproduced by assignVariant', () => {
    for (const v of vectors.assignVariant) {
      expect(assignVariant(v.experiment, v.unitId), `${v.description} / ${v.unitId}`).toEqual({ ...v.expected, u: v.u });
    }
  });

  it('match the naive implementation of the multivariate formula, factor hash by factor hash (assignFactors)', () => {
    for (const v of vectors.assignFactors) {
      expect(naiveMurmur3(v.key)).toBe(v.hash.decimal);
      for (const f of v.factorHashes ?? []) {
        expect(f.key).toBe(`${v.experiment.id}:${f.factorId}:${v.unitId}`);
        expect(naiveMurmur3(f.key)).toBe(f.hash.decimal);
        expect(f.u).toBe(f.hash.decimal / 2 ** 32);
      }
      expect({ ...v.expected, u: v.u }, v.description).toEqual(naiveAssignFactors(v.experiment, v.unitId));
    }
  });

  it('are reproduced by assignFactors', () => {
    for (const v of vectors.assignFactors) {
      expect(assignFactors(v.experiment, v.unitId), `${v.description} / ${v.unitId}`).toEqual({ ...v.expected, u: v.u });
    }
  });
});
