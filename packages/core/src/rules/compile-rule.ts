import { AttuneError } from '../errors.js';
import { compileNode } from './compile-node.js';
import { type Builder, dataNode, type Evaluator, type Node, type OperatorBuilders } from './node.js';
import { extraStandardOperator } from './extra-operators.js';
import { coreOperator } from './operators.js';

export { truthy } from './truthy.js';

/** A rule compiled to closures: evaluate it against some data. */
export type CompiledRule = (data: unknown) => unknown;

/** A custom operator receives its arguments already evaluated, and the data the rule runs on. */
export type CustomOperator = (args: unknown[], data: unknown) => unknown;

export type { OperatorBuilders } from './node.js';

export interface CompileOptions {
  /** Extra operators, by name. They may not reuse a standard operator's name. */
  operators?: Readonly<Record<string, CustomOperator>>;
  /** Operator builders consulted after the standard operators and before `operators`. */
  builders?: OperatorBuilders;
}

type Operators = Readonly<Record<string, CustomOperator>>;

/** Rejects custom operators that are not functions or would shadow a standard operator. */
function checkOperators(operators: Operators | undefined): void {
  if (operators === undefined) return;
  for (const name of Object.keys(operators)) {
    if (coreOperator(name) || extraStandardOperator(name)) {
      throw new AttuneError('rule-invalid', `Custom operator "${name}" is a standard JSON Logic operator: give it another name.`);
    }
    if (typeof operators[name] !== 'function') {
      throw new AttuneError('rule-invalid', `Custom operator "${name}" must be a function (args, data) => value.`);
    }
  }
}

/** A custom operator's node: it may have side effects and sees the data, so it is never folded. */
function customNode(operator: CustomOperator, args: readonly Node[]): Node {
  const runs = args.map((a) => a.run);
  // A fresh argument array per call: the operator owns it and may keep or change it.
  const run: Evaluator = (d) => operator(runs.map((r) => r(d)), d);
  return { ...dataNode(args, run), pure: false };
}

/**
 * Compiles a JSON Logic rule (https://jsonlogic.com) once into a tree of plain closures, with
 * json-logic-js semantics. Evaluation never re-reads the rule and uses neither `eval` nor
 * `new Function`, so it runs under a strict Content Security Policy.
 *
 * @param rule - The rule, as parsed JSON. A non-operation value (number, string, array of rules...)
 *   evaluates to itself, arrays element-wise.
 * @param options - `operators`: custom operators by name; they receive evaluated arguments.
 * @returns A function evaluating the rule against data (null and undefined data are fine).
 * @throws AttuneError `rule-unknown-operator` naming an unknown operator; `rule-invalid` for an
 *   object with other than one key, `{"*": []}`, a custom operator reusing a standard name, or a
 *   rule nested too deeply (thousands of levels) to compile.
 */
export function compileRule(rule: unknown, options: CompileOptions = {}): CompiledRule {
  const { operators, builders } = options;
  checkOperators(operators);
  try {
    return compileNode(rule, {
      // Every standard operator (the ones off the critical path too), then the caller's builders, then custom operators.
      builders: (op) =>
        extraStandardOperator(op) ??
        builders?.(op) ??
        (operators && Object.hasOwn(operators, op) ? (args) => customNode(operators[op] as CustomOperator, args) : undefined),
      hint: (op) => `, or register it with compileRule(rule, { operators: { "${op}": (args, data) => ... } })`,
    }).run;
  } catch (error) {
    // Thousands of nested operations exhaust the stack: say so rather than throw a RangeError.
    throw error instanceof RangeError ? new AttuneError('rule-invalid', 'Invalid rule: nested too deeply.', error) : error;
  }
}
