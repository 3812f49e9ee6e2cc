import { truthy } from './truthy.js';

/** Evaluates one compiled (sub)rule against the data in scope. */
export type Evaluator = (data: unknown) => unknown;

/**
 * A compiled (sub)rule plus what the compiler knows about it statically, so parents can
 * specialize their closures (skip `truthy`, inline constants, fold).
 */
export interface Node {
  readonly run: Evaluator;
  /** The value is known at compile time and held in `value`; `run` ignores its data. */
  readonly constant: boolean;
  readonly value: unknown;
  /** Evaluation has no observable side effect (no `log`, no custom operator inside). */
  readonly pure: boolean;
  /** Evaluation reads the data in scope, so it cannot be computed at compile time. */
  readonly readsData: boolean;
  /** Always evaluates to a boolean, so JavaScript truthiness equals JSON Logic truthiness. */
  readonly boolean: boolean;
  /** Optional: computes only the truthiness, cheaper than `run` (e.g. `missing` without its list). */
  readonly test?: (data: unknown) => boolean;
}

/** The JSON Logic truthiness of a node's value, by the cheapest means the node offers. */
export function condition(node: Node): (data: unknown) => boolean {
  if (node.test !== undefined) return node.test;
  const run = node.run;
  return node.boolean ? (run as (data: unknown) => boolean) : (d) => truthy(run(d));
}

/** Builds the node of one operator from its compiled arguments. */
export type Builder = (args: readonly Node[]) => Node;

/** Deep-copies nested arrays: a constant must not be shared with callers, who may mutate results. */
function cloneArray(source: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(source.length);
  for (let i = 0; i < source.length; i++) {
    const item = source[i];
    out[i] = Array.isArray(item) ? cloneArray(item) : item;
  }
  return out;
}

/** A node whose value is known at compile time. */
export function literal(value: unknown): Node {
  // Arrays are copied per evaluation, as json-logic-js returns a fresh array every time.
  const run: Evaluator = Array.isArray(value) ? () => cloneArray(value) : () => value;
  return { run, constant: true, value, pure: true, readsData: false, boolean: typeof value === 'boolean' };
}

/** A node computed from `args`: pure and data-dependent exactly when its arguments are. */
export function derived(args: readonly Node[], run: Evaluator, boolean = false): Node {
  let pure = true;
  let readsData = false;
  for (const arg of args) {
    pure = pure && arg.pure;
    readsData = readsData || arg.readsData;
  }
  return { run, constant: false, value: undefined, pure, readsData, boolean };
}

/** A node reading the profile, the clock or the data in scope: never computed at compile time. */
export function dataNode(args: readonly Node[], run: Evaluator): Node {
  return { ...derived(args, run), readsData: true };
}

/** The argument at `index`, or a constant `undefined` when the rule gave fewer arguments. */
export function argAt(args: readonly Node[], index: number): Node {
  return args[index] ?? literal(undefined);
}

/**
 * Extra operators compiled like the standard ones (they see their argument nodes, so they can
 * specialize on constants and fail at compile time): Attune's personalization operators.
 */
export type OperatorBuilders = (name: string) => Builder | undefined;
