/**
 * Experiment assignment, pure and reproducible anywhere (docs/experiments.md "Experiments: assignment"):
 *
 * `u = murmur3_x86_32(utf8(experimentId + ":" + unitId), seed 0) / 2^32`; if `u < holdout` → holdout;
 * else `v = (u - holdout) / (1 - holdout)`; if `v >= traffic` → not in traffic; else `w = v / traffic`
 * picks the first variant whose cumulative normalized weight exceeds `w`.
 *
 * All arithmetic is IEEE-754 double precision, in that order. The cumulative normalized weight of
 * variant i is `(weight_1 + … + weight_i) / (weight_1 + … + weight_n)`, sums taken left to right,
 * so the last variant with a positive weight reaches exactly 1.
 */
import { murmur3_x86_32 } from './murmur3.js';

export interface AssignableVariant {
  id: string;
  /** Relative weight, >= 0. Default 1 (variants without weights split evenly). 0: never picked. */
  weight?: number | undefined;
}

export interface AssignableExperiment {
  id: string;
  /** Share of (non-holdout) units in the experiment, 0..1. Default 1. */
  traffic?: number | undefined;
  /** Share of all units kept out as a holdout group, 0..1. Default 0. */
  holdout?: number | undefined;
  variants: readonly AssignableVariant[];
}

/**
 * Where a unit landed. `u` is the unit's position in [0, 1) (`murmur3(experimentId:unitId) / 2^32`),
 * or `NaN` when it cannot be computed (the experiment id or the unit id is not a string).
 */
export type Assignment =
  | { status: 'assigned'; variant: string; u: number }
  | { status: 'holdout'; u: number }
  | { status: 'not-in-traffic'; u: number };

export interface AssignableFactor {
  id: string;
  levels: readonly AssignableVariant[];
}

export interface AssignableMultivariate {
  id: string;
  traffic?: number | undefined;
  holdout?: number | undefined;
  factors: readonly AssignableFactor[];
}

/**
 * Where a unit landed in a multivariate test. When assigned, `levels` maps factor id → level id and
 * `variant` is the levels in factor order as `factorId=levelId` joined with `|`
 * (e.g. `headline=b|button=green`).
 */
export type FactorAssignment =
  | { status: 'assigned'; variant: string; levels: Readonly<Record<string, string>>; u: number }
  | { status: 'holdout'; u: number }
  | { status: 'not-in-traffic'; u: number };

type Gate = { status: 'holdout' | 'not-in-traffic'; u: number } | { status: 'in'; u: number; w: number };

const TWO_POW_32 = 4294967296;

/** `murmur3_x86_32(utf8(key), seed 0) / 2^32`: a position in [0, 1). */
const position = (key: string): number => murmur3_x86_32(key) / TWO_POW_32;

/** A share in 0..1 (missing → `fallback`), or NaN when it is anything else. */
function share(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : NaN;
}

/** Sum of the weights (missing → 1), or 0 when the list is empty or any entry is invalid. */
function totalWeight(options: unknown): number {
  if (!Array.isArray(options)) return 0;
  let total = 0;
  for (const option of options as unknown[]) {
    const weight = weightOf(option);
    if (!(weight >= 0) || typeof (option as AssignableVariant).id !== 'string') return 0;
    total += weight;
  }
  return total < Infinity ? total : 0;
}

/** The option's weight (missing → 1); NaN for a non-number, a non-finite number or a non-object. */
function weightOf(option: unknown): number {
  if (typeof option !== 'object' || option === null) return NaN;
  const weight = (option as AssignableVariant).weight;
  if (weight === undefined) return 1;
  return typeof weight === 'number' && weight < Infinity ? weight : NaN;
}

/**
 * The id of the first option whose cumulative normalized weight exceeds `w`, for `w` in [0, 1).
 * Zero weights never win; if rounding leaves no option (`w` ≈ 1), the last one with a positive
 * weight. `undefined` when the options are invalid (see {@link assignVariant}).
 */
export function pickByWeight(options: readonly AssignableVariant[], w: number): string | undefined {
  const total = totalWeight(options);
  return total > 0 ? pick(options, total, w) : undefined;
}

/** {@link pickByWeight} for valid options whose weights sum to `total`. */
function pick(options: readonly AssignableVariant[], total: number, w: number): string {
  let sum = 0;
  let last = '';
  for (const option of options) {
    const weight = weightOf(option);
    if (weight > 0) {
      // Same additions in the same order as totalWeight (zeros change nothing): the last sum is `total`.
      sum += weight;
      last = option.id;
      if (sum / total > w) return last;
    }
  }
  return last;
}

/** The holdout and traffic gate shared by A/B/n and multivariate tests. */
function gate(experiment: { id?: unknown; traffic?: unknown; holdout?: unknown } | null, unitId: unknown, valid: boolean): Gate {
  const id = experiment?.id;
  if (typeof id !== 'string' || typeof unitId !== 'string') return { status: 'not-in-traffic', u: NaN };
  const u = position(id + ':' + unitId);
  const traffic = share(experiment!.traffic, 1);
  const holdout = share(experiment!.holdout, 0);
  // NaN fails every comparison: an invalid share keeps the unit out, like an invalid variant list.
  if (!valid || !(traffic >= 0 && holdout >= 0)) return { status: 'not-in-traffic', u };
  if (u < holdout) return { status: 'holdout', u };
  const v = (u - holdout) / (1 - holdout);
  if (v >= traffic) return { status: 'not-in-traffic', u };
  return { status: 'in', u, w: v / traffic };
}

/** Object-typed input, or null, so a bad argument reads as "invalid" rather than throwing. */
const asObject = <T extends object>(value: T): T | null => (typeof value === 'object' && value !== null ? value : null);

/**
 * Assigns `unitId` to a variant of `experiment`, deterministically (same inputs, same result, on any
 * machine):
 *
 * `u = murmur3_x86_32(utf8(experimentId + ":" + unitId), seed 0) / 2^32`; if `u < holdout` → holdout;
 * else `v = (u - holdout) / (1 - holdout)`; if `v >= traffic` → not in traffic; else `w = v / traffic`
 * picks the first variant whose cumulative normalized weight exceeds `w`.
 *
 * Defaults: `traffic` 1, `holdout` 0, `weight` 1 (no weights: an even split). Weights are relative;
 * a variant with weight 0 is never picked. `holdout: 1` holds everyone out; `traffic: 0` lets
 * nobody in. Invalid input (no variants, a negative, non-finite or all-zero weight, `traffic` or
 * `holdout` outside 0..1, an id that is not a string) never throws: the unit is `not-in-traffic`.
 *
 * @example assignVariant({ id: 'hero-test', variants: [{ id: 'control' }, { id: 'reminder' }] }, 'user-42')
 */
export function assignVariant(experiment: AssignableExperiment, unitId: string): Assignment {
  const e = asObject(experiment);
  const total = totalWeight(e?.variants);
  const result = gate(e, unitId, total > 0);
  if (result.status !== 'in') return result;
  return { status: 'assigned', variant: pick(e!.variants, total, result.w), u: result.u };
}

/**
 * Assigns `unitId` to one level of every factor of a multivariate (full factorial) test.
 *
 * The holdout and traffic gate is {@link assignVariant}'s, on the same `experimentId:unitId` hash.
 * Then each factor picks its level with its own hash,
 * `u_f = murmur3_x86_32(utf8(experimentId + ":" + factorId + ":" + unitId), seed 0) / 2^32`,
 * as the first level whose cumulative normalized weight exceeds `u_f`, so factors are independent
 * of each other and of the gate. The reported `variant` is `factorId=levelId` for every factor, in
 * factor order, joined with `|` (e.g. `headline=b|button=green`).
 *
 * Invalid input (no factors, a repeated factor id, a factor without valid levels, plus everything
 * {@link assignVariant} rejects) never throws: the unit is `not-in-traffic`.
 */
export function assignFactors(experiment: AssignableMultivariate, unitId: string): FactorAssignment {
  const e = asObject(experiment);
  const factors = e?.factors;
  const ids: string[] = [];
  const totals: number[] = [];
  let valid = Array.isArray(factors) && factors.length > 0;
  if (valid) {
    for (const factor of factors!) {
      const total = totalWeight(asObject(factor)?.levels);
      const id: unknown = total > 0 ? factor.id : undefined;
      if (typeof id !== 'string' || ids.includes(id)) {
        valid = false;
        break;
      }
      ids.push(id);
      totals.push(total);
    }
  }
  const result = gate(e, unitId, valid);
  if (result.status !== 'in') return result;
  const entries: [string, string][] = [];
  let variant = '';
  for (let i = 0; i < ids.length; i++) {
    const level = pick(factors![i]!.levels, totals[i]!, position(e!.id + ':' + ids[i] + ':' + unitId));
    entries.push([ids[i]!, level]);
    variant += (i > 0 ? '|' : '') + ids[i] + '=' + level;
  }
  // fromEntries defines own properties, so a factor named "__proto__" stays an ordinary key.
  return { status: 'assigned', variant, levels: Object.fromEntries(entries), u: result.u };
}
