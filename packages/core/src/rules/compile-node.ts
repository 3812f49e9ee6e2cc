import { AttuneError } from '../errors.js';
import { type Builder, derived, literal, type Node } from './node.js';
import { coreOperator } from './operators.js';

/** What a rule compiles against besides the standard operators. */
export interface CompileScope {
  /**
   * Operator builders consulted after the standard operators on the critical path (operators.ts):
   * the other standard ones, Attune's, custom ones (compileRule), in the order the caller chains them.
   */
  builders?: ((name: string) => Builder | undefined) | undefined;
  /** The `var` builder, when it is not the standard one (a bundle caches the reads of each pass). */
  var?: Builder | undefined;
  /** What else an unknown operator's message suggests (compileRule: registering a custom operator). */
  hint?: ((name: string) => string) | undefined;
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

/** An array rule evaluates element-wise into a new array (folded to a constant when every item is one). */
function compileArray(rules: readonly unknown[], scope: CompileScope): Node {
  const items = rules.map((rule) => compileNode(rule, scope));
  const runs = items.map((item) => item.run);
  return derived(items, (d) => runs.map((run) => run(d)));
}

/** `2 ("a", "b")`: how many keys, and the first five. */
const describeKeys = (keys: readonly string[]): string => `${keys.length} (${keys.slice(0, 5).map((key) => JSON.stringify(key)).join(', ')})`;

/**
 * Compiles a JSON Logic rule into a tree of closures (see compileRule, the public entry point,
 * which adds custom operators; bundles compile with this directly, so the script tag carries no
 * custom-operator code).
 */
export function compileNode(rule: unknown, scope: CompileScope): Node {
  if (Array.isArray(rule)) return fold(compileArray(rule, scope));
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
  const builder = (op === 'var' && scope.var) || coreOperator(op) || scope.builders?.(op);
  if (builder === undefined) {
    throw new AttuneError(
      'rule-unknown-operator',
      `Unknown rule operator "${op}": use a standard JSON Logic operator (https://jsonlogic.com/operations.html)${scope.hint?.(op) ?? ''}.`,
    );
  }

  // A single non-array argument is shorthand: {"var": "a"} is {"var": ["a"]}.
  const raw = (rule as Record<string, unknown>)[op];
  return fold(builder((Array.isArray(raw) ? raw : [raw]).map((arg) => compileNode(arg, scope))));
}
