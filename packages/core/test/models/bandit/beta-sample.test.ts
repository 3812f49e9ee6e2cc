import { describe, expect, it } from 'vitest';
import { logSampleGamma, sampleBeta, sampleGamma } from '../../../src/models/bandit/beta-sample.js';
import { mulberry32 } from '../../../src/models/bandit/random.js';

const DRAWS = 40_000;

/** Mean and variance of `n` draws. */
function moments(draw: () => number, n = DRAWS): { mean: number; variance: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    squares += x * x;
  }
  const mean = sum / n;
  return { mean, variance: squares / n - mean * mean };
}

describe('mulberry32', () => {
  it('gives the reference C implementation\'s numbers (divided by 2^32)', () => {
    // From Tommy Ettinger's C code (the gist mulberry32 comes from), compiled with gcc.
    const random = mulberry32(42);
    expect([random(), random(), random(), random()].map((u) => u * 2 ** 32)).toEqual([2581720956, 1925393290, 3661312704, 2876485805]);
    const other = mulberry32(0xdeadbeef);
    expect([other(), other()].map((u) => u * 2 ** 32)).toEqual([4043151706, 1147597007]);
  });

  it('stays in [0, 1)', () => {
    const random = mulberry32(7);
    for (let i = 0; i < 10_000; i++) expect(random()).toSatisfy((u: number) => u >= 0 && u < 1);
  });
});

describe('sampleGamma', () => {
  // Gamma(k, 1): mean k, variance k.
  for (const shape of [0.3, 1, 2.5, 40]) {
    it(`draws Gamma(${shape}) with mean and variance ${shape}, within 3%`, () => {
      const random = mulberry32(1234);
      const { mean, variance } = moments(() => sampleGamma(shape, random));
      expect(Math.abs(mean / shape - 1)).toBeLessThan(0.03);
      expect(Math.abs(variance / shape - 1)).toBeLessThan(0.03 + 0.05 * Number(shape < 1));
    });
  }

  it('stays finite in logarithms for a tiny shape, whose draws underflow as numbers', () => {
    const random = mulberry32(5);
    const logs = Array.from({ length: 1000 }, () => logSampleGamma(0.001, random));
    expect(logs.every(Number.isFinite)).toBe(true);
    // E[log Gamma(a)] = digamma(a) ≈ -1/a - 0.5772 for a small a.
    expect(logs.reduce((sum, x) => sum + x, 0) / logs.length).toBeLessThan(-500);
  });
});

describe('sampleBeta', () => {
  // Beta(a, b): mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)).
  const cases: [number, number][] = [
    [1, 1],
    [2, 5],
    [0.5, 0.5],
    [0.2, 3],
    [31, 969],
    [4000, 96_000],
  ];
  for (const [a, b] of cases) {
    it(`draws Beta(${a}, ${b}) with its mean and variance, within 2% and 5%`, () => {
      const random = mulberry32(99);
      const { mean, variance } = moments(() => sampleBeta(a, b, random));
      const n = a + b;
      expect(Math.abs(mean / (a / n) - 1)).toBeLessThan(0.02);
      expect(Math.abs(variance / ((a * b) / (n * n * (n + 1))) - 1)).toBeLessThan(0.05);
    });
  }

  it('draws within [0, 1], even for shapes so small that both Gamma draws underflow', () => {
    const random = mulberry32(3);
    for (let i = 0; i < 2000; i++) expect(sampleBeta(0.001, 0.002, random)).toSatisfy((x: number) => x >= 0 && x <= 1);
  });

  it('gives the same draws for the same seed', () => {
    const draws = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 5 }, () => sampleBeta(2, 3, random));
    };
    expect(draws(11)).toEqual(draws(11));
    expect(draws(11)).not.toEqual(draws(12));
  });
});
