import { describe, expect, it } from 'vitest';
import { prng } from '../../../bench/prng.mjs';
import { compareRates, meanWithInterval, rateWithInterval, sampleRatioMismatch } from '../src/report-stats.mjs';

// Expected values computed independently with SciPy 1.10.1 (Debian python3-scipy): the same
// textbook formulas, scipy.stats.norm / scipy.stats.chisquare for the distributions.
describe('report statistics, known answers', () => {
  it('two proportions, 120/1000 against 100/1000: pooled z-test p-value, Wald difference interval, log-ratio relative interval', () => {
    const result = compareRates({ x: 120, n: 1000 }, { x: 100, n: 1000 });
    expect(result.pValue).toBeCloseTo(0.15291778186394622, 9);
    expect(result.absolute).toBeCloseTo(0.02, 12);
    expect(result.absoluteLow).toBeCloseTo(-0.0074114819980199455, 9);
    expect(result.absoluteHigh).toBeCloseTo(0.04741148199801992, 9);
    expect(result.relative).toBeCloseTo(0.2, 12);
    expect(result.relativeLow).toBeCloseTo(-0.06589424893700624, 9);
    expect(result.relativeHigh).toBeCloseTo(0.5415813448973079, 9);
  });

  it('the Wilson score interval of 120/1000', () => {
    const { rate, low, high } = rateWithInterval(120, 1000);
    expect(rate).toBe(0.12);
    expect(low).toBeCloseTo(0.10129926060130913, 9);
    expect(high).toBeCloseTo(0.14160907584771276, 9);
  });

  it('a sample ratio of 5,000 to 5,500 for a 50/50 split is flagged (chi-square 23.81, p 1.06e-6)', () => {
    const srm = sampleRatioMismatch({ a: 5000, b: 5500 }, { a: 0.5, b: 0.5 });
    expect(srm.chiSquare).toBeCloseTo(23.80952380952381, 9);
    expect(srm.df).toBe(1);
    expect(srm.pValue).toBeCloseTo(1.0635492679527356e-6, 12);
    expect(srm.flagged).toBe(true);
  });

  it('a split that matches its weights and holdout passes (45/45/10: chi-square 2.63, p 0.269)', () => {
    const srm = sampleRatioMismatch({ a: 480, b: 520, holdout: 100 }, { a: 0.45, b: 0.45, holdout: 0.1 });
    expect(srm.chiSquare).toBeCloseTo(2.6262626262626263, 9);
    expect(srm.pValue).toBeCloseTo(0.26897648672868346, 9);
    expect(srm.flagged).toBe(false);
  });

  it('units in a group that should get none are a mismatch by themselves', () => {
    expect(sampleRatioMismatch({ a: 500, b: 500, c: 3 }, { a: 1, b: 1 })).toMatchObject({ flagged: true, unexpected: ['c'] });
  });

  it('revenue per unit: the mean and its interval from the sum and the sum of squares', () => {
    const values = [0, 0, 10, 20, 0, 30];
    const sum = values.reduce((a, b) => a + b, 0);
    const squares = values.reduce((a, b) => a + b * b, 0);
    const mean = sum / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    const result = meanWithInterval(sum, squares, values.length);
    expect(result.mean).toBeCloseTo(10, 12);
    expect(result.high! - result.mean!).toBeCloseTo((1.959963984540054 * sd) / Math.sqrt(values.length), 9);
  });

  it('empty groups give no numbers rather than NaN', () => {
    expect(compareRates({ x: 0, n: 0 }, { x: 5, n: 100 }).pValue).toBeNull();
    expect(rateWithInterval(0, 0).rate).toBeNull();
    expect(compareRates({ x: 3, n: 100 }, { x: 0, n: 100 }).relative).toBeNull();
  });
});

describe('report statistics, simulated experiments with a known true lift', () => {
  it('the 95% interval of the difference covers the true difference in 93–97% of 1,000 experiments', () => {
    const random = prng(20261207);
    const [p0, p1, n] = [0.1, 0.12, 2000];
    const binomial = (p: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) if (random() < p) x++;
      return x;
    };
    let covered = 0;
    let significant = 0;
    for (let experiment = 0; experiment < 1000; experiment++) {
      const result = compareRates({ x: binomial(p1), n }, { x: binomial(p0), n });
      if (result.absoluteLow! <= p1 - p0 && p1 - p0 <= result.absoluteHigh!) covered++;
      if (result.pValue! < 0.05) significant++;
    }
    expect(covered / 1000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 1000).toBeLessThanOrEqual(0.97);
    // And the test has the power a 10% → 12% lift with 2,000 units per group gives (about 0.5).
    expect(significant / 1000).toBeGreaterThan(0.35);
  });

  it('with no true difference, p < 0.05 in about 5% of experiments', () => {
    const random = prng(7);
    const binomial = (p: number, n: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) if (random() < p) x++;
      return x;
    };
    let significant = 0;
    for (let experiment = 0; experiment < 1000; experiment++) if (compareRates({ x: binomial(0.1, 1500), n: 1500 }, { x: binomial(0.1, 1500), n: 1500 }).pValue! < 0.05) significant++;
    expect(significant / 1000).toBeGreaterThan(0.03);
    expect(significant / 1000).toBeLessThan(0.07);
  });
});
