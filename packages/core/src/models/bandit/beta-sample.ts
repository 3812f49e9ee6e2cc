import type { Random } from './random.js';

/** A standard normal number (Box–Muller, one of the pair: the sampler needs few). */
function normal(random: Random): number {
  // 1 - u is in (0, 1]: its logarithm is finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * The logarithm of a Gamma(shape, 1) draw, shape > 0. Marsaglia and Tsang's method ("A simple
 * method for generating gamma variables", 2000) for shape ≥ 1; below 1, their boost:
 * Gamma(a) = Gamma(a + 1) · U^(1/a), i.e. log Gamma(a + 1) + log(U) / a. In logarithms, so that a
 * small shape (whose draws can be below 1e-300) does not underflow to 0.
 */
export function logSampleGamma(shape: number, random: Random): number {
  if (shape < 1) return logSampleGamma(shape + 1, random) + Math.log(1 - random()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  // Each try is accepted with probability above 0.95: 100 tries all rejected does not happen
  // with a working generator; the bound keeps a broken one from hanging the page.
  for (let tries = 0; tries < 100; tries++) {
    const x = normal(random);
    const cube = 1 + c * x;
    if (cube <= 0) continue;
    const v = cube * cube * cube;
    const u = random();
    const x2 = x * x;
    // The squeeze first (no logarithm), then the exact test.
    if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
  return Math.log(d);
}

/** A Gamma(shape, 1) draw, shape > 0 (see logSampleGamma). */
export const sampleGamma = (shape: number, random: Random): number => Math.exp(logSampleGamma(shape, random));

/**
 * A Beta(alpha, beta) draw, both above 0: X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta),
 * computed as 1 / (1 + e^(log Y - log X)) so that it stays exact when both draws are tiny.
 */
export function sampleBeta(alpha: number, beta: number, random: Random): number {
  const x = logSampleGamma(alpha, random);
  return 1 / (1 + Math.exp(logSampleGamma(beta, random) - x));
}
