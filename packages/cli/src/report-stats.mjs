// The statistics of `attune report`, computed from aggregates (units, conversions, revenue sums),
// never from events: the same functions serve DuckDB's answers and a warehouse's. Distributions
// come from jStat (normal, chi-square); the formulas are the textbook ones named below, and the
// docs/cli.md says which number uses which.
import jstatModule from 'jstat';

const { jStat } = jstatModule;

/** Two-sided 95%: the normal quantile 1.959964. */
export const Z95 = jStat.normal.inv(0.975, 0, 1);

/** Two-sided p-value of a standard normal statistic. */
const twoSided = (z) => 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1));

/**
 * Conversion rate `x / n` of a group, with its 95% Wilson score interval (better behaved than the
 * Wald interval for small groups and rates near 0 or 1).
 */
export function rateWithInterval(x, n) {
  if (!(n > 0)) return { rate: null, low: null, high: null };
  const p = x / n;
  const z2 = Z95 * Z95;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { rate: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/**
 * A variant's conversion rate against control's: the absolute difference with its 95% interval
 * (Wald, unpooled standard error), the relative lift with its 95% interval (delta method on the
 * log of the rate ratio), and the two-sided p-value of the two-proportion z-test (pooled standard
 * error). Null where a group is empty or the control converted nobody (a relative lift of nothing).
 */
export function compareRates(variant, control) {
  const { x: x1, n: n1 } = variant;
  const { x: x0, n: n0 } = control;
  if (!(n1 > 0 && n0 > 0)) return { absolute: null, absoluteLow: null, absoluteHigh: null, relative: null, relativeLow: null, relativeHigh: null, pValue: null };
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const diff = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  const pooled = (x1 + x0) / (n1 + n0);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  const pValue = sePooled > 0 ? twoSided(diff / sePooled) : diff === 0 ? 1 : 0;
  let relative = null;
  let relativeLow = null;
  let relativeHigh = null;
  if (p0 > 0) {
    relative = p1 / p0 - 1;
    if (p1 > 0) {
      const seLog = Math.sqrt((1 - p1) / x1 + (1 - p0) / x0);
      relativeLow = Math.exp(Math.log(p1 / p0) - Z95 * seLog) - 1;
      relativeHigh = Math.exp(Math.log(p1 / p0) + Z95 * seLog) - 1;
    }
  }
  return { absolute: diff, absoluteLow: diff - Z95 * se, absoluteHigh: diff + Z95 * se, relative, relativeLow, relativeHigh, pValue };
}

/**
 * Revenue per unit (every exposed unit, converted or not) from the sum and the sum of squares:
 * the mean with its 95% interval (normal approximation, sample standard deviation).
 */
export function meanWithInterval(sum, sumOfSquares, n) {
  if (!(n > 0)) return { mean: null, low: null, high: null };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1)) : 0;
  const half = Z95 * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

/** The threshold under which a sample ratio mismatch is flagged. */
export const SRM_ALPHA = 0.001;

/**
 * Sample ratio mismatch: Pearson's chi-square goodness-of-fit of the observed units per group
 * against the shares the configuration expects (df = groups - 1). `expected` are shares (any
 * scale); groups expected to get nobody are left out, and a unit seen in one is an SRM by itself.
 */
export function sampleRatioMismatch(observed, expected) {
  const groups = Object.keys(expected).filter((group) => expected[group] > 0);
  const unexpected = Object.keys(observed).filter((group) => !(expected[group] > 0) && observed[group] > 0);
  const total = groups.reduce((sum, group) => sum + (observed[group] ?? 0), 0);
  const shares = groups.reduce((sum, group) => sum + expected[group], 0);
  if (groups.length < 2 || total === 0) return { chiSquare: null, df: null, pValue: null, flagged: unexpected.length > 0, unexpected };
  let chiSquare = 0;
  for (const group of groups) {
    const wanted = (total * expected[group]) / shares;
    chiSquare += ((observed[group] ?? 0) - wanted) ** 2 / wanted;
  }
  const df = groups.length - 1;
  const pValue = 1 - jStat.chisquare.cdf(chiSquare, df);
  return { chiSquare, df, pValue, flagged: pValue < SRM_ALPHA || unexpected.length > 0, unexpected };
}
