// Types of report-stats.mjs, for the TypeScript tests that import it.
export const Z95: number;
export const SRM_ALPHA: number;
export function rateWithInterval(x: number, n: number): { rate: number | null; low: number | null; high: number | null };
export interface Comparison {
  absolute: number | null;
  absoluteLow: number | null;
  absoluteHigh: number | null;
  relative: number | null;
  relativeLow: number | null;
  relativeHigh: number | null;
  pValue: number | null;
}
export function compareRates(variant: { x: number; n: number }, control: { x: number; n: number }): Comparison;
export function meanWithInterval(sum: number, sumOfSquares: number, n: number): { mean: number | null; low: number | null; high: number | null };
export function sampleRatioMismatch(
  observed: Record<string, number>,
  expected: Record<string, number>,
): { chiSquare: number | null; df: number | null; pValue: number | null; flagged: boolean; unexpected: string[] };
