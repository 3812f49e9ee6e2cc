/** Argument checks shared by Attune's operators: bad constant arguments fail when the rule compiles. */
import { AttuneError } from '../errors.js';
import type { RuleHost } from './rule-host.js';
import type { PassHost } from './pass-host.js';
import type { Node } from './node.js';

/** Builds an Attune operator's node from its compiled arguments and the host it reads (a bundle's pass host shares constant questions). */
export type HostBuilder = (args: readonly Node[], host: RuleHost & Partial<Pick<PassHost, 'counter' | 'statsOf' | 'perData' | 'perPass'>>) => Node;

/** Throws the compile-time error of operator `op`. */
export function fail(op: string, message: string): never {
  throw new AttuneError('rule-invalid', `Rule operator "${op}": ${message}`);
}

/** How a bad constant is shown in a message. */
export const got = (value: unknown): string => `, got ${JSON.stringify(value) ?? 'nothing'}.`;

/** Checks the number of arguments, written as in the examples of docs/rule-operators.md. */
export function arity(op: string, args: readonly Node[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) fail(op, `expected ${usage}, got ${args.length} argument(s).`);
}

/** A constant argument that is not a string (or is empty) fails compilation. */
export function constantString(op: string, node: Node | undefined, what: string): void {
  if (node?.constant && (typeof node.value !== 'string' || !node.value)) {
    fail(op, `${what} must be a non-empty string${got(node.value)}`);
  }
}

export { dataNode } from './node.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** `obj[key]` when `obj` is an object with that own key ("constructor" must not read Object.prototype). */
export function field(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** A finite number (no coercion: "5" is not one). */
export const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
