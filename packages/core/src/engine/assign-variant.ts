/**
 * Experiment assignment, reproducible anywhere (README "Experiments"):
 * u = murmur3_x86_32(utf8(experimentId + ":" + unitId), seed 0) / 2^32; u < holdout → holdout;
 * else v = (u - holdout) / (1 - holdout); v >= traffic → not in traffic; else w = v / traffic
 * picks the first variant whose cumulative normalized weight exceeds w.
 * STUB: being implemented (issue 5).
 */
export interface AssignableVariant {
  id: string;
  /** Relative weight, >= 0. Default 1 (variants without weights split evenly). */
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

export type FactorAssignment =
  | { status: 'assigned'; variant: string; levels: Readonly<Record<string, string>>; u: number }
  | { status: 'holdout'; u: number }
  | { status: 'not-in-traffic'; u: number };

export function assignVariant(experiment: AssignableExperiment, unitId: string): Assignment {
  void experiment;
  void unitId;
  throw new Error('assignVariant: not implemented yet');
}

export function assignFactors(experiment: AssignableMultivariate, unitId: string): FactorAssignment {
  void experiment;
  void unitId;
  throw new Error('assignFactors: not implemented yet');
}
