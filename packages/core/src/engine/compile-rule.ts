import { AttuneError } from '../errors.js';
import { type Builder, derived, type Evaluator, literal, type Node } from './node.js';
import { standardOperator } from './operators.js';

export { truthy } from './truthy.js';

/** A rule compiled to closures: evaluate it against some data. */
export type CompiledRule = (data: unknown) => unknown;

/** A custom operator receives its arguments already evaluated, and the data the rule runs on. */
export type CustomOperator = (args: unknown[], data: unknown) => unknown;

/**
 * Extra operators compiled like the standard ones (they see their argument nodes, so they can
 * specialize on constants and fail at compile time): Attune's personalization operators.
 */
export type OperatorBuilders = (name: string) => Builder | undefined;

export interface CompileOptions {
  /** Extra operators, by name. They may not reuse a standard operator's name. */
  operators?: Readonly<Record<string, CustomOperator>>;
  /** Operator builders consulted after the standard operators and before `operators`. */
  builders?: OperatorBuilders;
  /** @internal The `var` builder, when it is not the standard one (a bundle caches the reads of each pass). */
  var?: Builder;
}

type Operators = Readonly<Record<string, CustomOperator>>;
type Scope = CompileOptions;

const MAX_KEYS_SHOWN = 5;

/** Rejects custom operators that are not functions or would shadow a standard operator. */
function checkOperators(operators: Operators | undefined): void {
  if (operators === undefined) return;
  for (const name of Object.keys(operators)) {
    if (standardOperator(name) !== undefined) {
      throw new AttuneError(
        'rule-invalid',
        `Custom operator "${name}" has the name of a standard JSON Logic operator, which cannot be replaced: give it another name.`,
      );
    }
    if (typeof operators[name] !== 'function') {
      throw new AttuneError('rule-invalid', `Custom operator "${name}" must be a function (args, data) => value.`);
    }
  }
}

/** A custom operator's node: it may have side effects and sees the data, so it is never folded. */
function customNode(operator: CustomOperator, args: readonly Node[]): Node {
  const runs = args.map((a) => a.run);
  const [a, b] = runs as [Evaluator, Evaluator];
  let run: Evaluator;
  // A fresh argument array per call: the operator owns it and may keep or change it.
  if (runs.length === 1) run = (d) => operator([a(d)], d);
  else if (runs.length === 2) run = (d) => operator([a(d), b(d)], d);
  else {
    run = (d) => {
      const values = new Array<unknown>(runs.length);
      for (let i = 0; i < runs.length; i++) values[i] = (runs[i] as Evaluator)(d);
      return operator(values, d);
    };
  }
  return { ...derived(args, run), pure: false, readsData: true };
}

/** Evaluates a side-effect-free node that ignores the data once, at compile time. */
function fold(node: Node): Node {
  if (node.constant || !node.pure || node.readsData) return node;
  try {
    return literal(node.run(undefined));
  } catch {
    // Leave it to fail at evaluation time, exactly as it would without folding.
    return node;
  }
}

/** An array rule evaluates element-wise into a new array. */
function compileArray(rules: readonly unknown[], scope: Scope): Node {
  const items = rules.map((rule) => compileNode(rule, scope));
  if (items.every((item) => item.constant)) return literal(items.map((item) => item.value));
  const runs = items.map((item) => item.run);
  return derived(items, (d) => {
    const out = new Array<unknown>(runs.length);
    for (let i = 0; i < runs.length; i++) out[i] = (runs[i] as Evaluator)(d);
    return out;
  });
}

function describeKeys(keys: readonly string[]): string {
  if (keys.length === 0) return 'none ({})';
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((key) => JSON.stringify(key));
  return `${keys.length} (${shown.join(', ')}${keys.length > MAX_KEYS_SHOWN ? ', ...' : ''})`;
}

function compileNode(rule: unknown, scope: Scope): Node {
  const { operators } = scope;
  if (Array.isArray(rule)) return compileArray(rule, scope);
  if (rule === null || typeof rule !== 'object') return literal(rule);

  const keys = Object.keys(rule);
  if (keys.length !== 1) {
    throw new AttuneError(
      'rule-invalid',
      `Invalid rule: an operation is an object with exactly one key, its operator; found ${describeKeys(keys)}. ` +
        'Combine several conditions with {"and": [...]} or {"or": [...]}.',
    );
  }
  const op = keys[0] as string;
  const builder = (op === 'var' && scope.var) || standardOperator(op) || scope.builders?.(op);
  const custom =
    builder === undefined && operators !== undefined && Object.prototype.hasOwnProperty.call(operators, op)
      ? operators[op]
      : undefined;
  if (builder === undefined && custom === undefined) {
    throw new AttuneError(
      'rule-unknown-operator',
      `Unknown rule operator "${op}": use a standard JSON Logic operator (https://jsonlogic.com/operations.html), ` +
        `or register an implementation with compileRule(rule, { operators: { ${JSON.stringify(op)}: (args, data) => ... } }).`,
    );
  }

  // A single non-array argument is shorthand: {"var": "a"} is {"var": ["a"]}.
  const raw = (rule as Record<string, unknown>)[op];
  const args = (Array.isArray(raw) ? raw : [raw]).map((arg) => compileNode(arg, scope));
  return builder !== undefined ? fold(builder(args)) : customNode(custom as CustomOperator, args);
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
 *   object with other than one key, `{"*": []}`, or a custom operator reusing a standard name.
 */
export function compileRule(rule: unknown, options?: CompileOptions): CompiledRule {
  const scope = options ?? {};
  checkOperators(scope.operators);
  return compileNode(rule, scope).run;
}
