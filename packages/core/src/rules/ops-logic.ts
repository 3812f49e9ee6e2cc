import { argAt, type Builder, condition, derived, type Evaluator, literal, type Node } from './node.js';
import { truthy } from './truthy.js';
import { whole } from './ops-data.js';

/** One `if` step: `cond ? then : otherwise`, with `otherwise` being the rest of the chain. */
function branch(cond: Node, then: Node, otherwise: Node): Node {
  // A constant condition picks its branch at compile time.
  if (cond.constant) return truthy(cond.value) ? then : otherwise;
  const c = condition(cond);
  const t = then.run;
  const e = otherwise.run;
  // Constant branches (the usual `"a"`, `null`) are captured: no call to return them. Arrays are copied per evaluation.
  const tv = then.value;
  const ev = otherwise.value;
  const tc = then.constant && !Array.isArray(tv);
  const run: Evaluator =
    otherwise.constant && !Array.isArray(ev) ? (tc ? (d) => (c(d) ? tv : ev) : (d) => (c(d) ? t(d) : ev))
    : tc ? (d) => (c(d) ? tv : e(d))
    : (d) => (c(d) ? t(d) : e(d));
  return derived([cond, then, otherwise], run, then.boolean && otherwise.boolean);
}

/**
 * `if` / `?:`: `[c1, v1, c2, v2, ..., else?]`. No arguments gives null, one gives that argument,
 * an even count has no else (null). Compiled into nested closures, so evaluation never loops.
 */
export const buildIf: Builder = (args) => {
  const n = args.length;
  let chain: Node = n % 2 === 1 ? (args[n - 1] as Node) : literal(null);
  for (let i = n % 2 === 1 ? n - 3 : n - 2; i >= 0; i -= 2) {
    chain = branch(args[i] as Node, args[i + 1] as Node, chain);
  }
  return chain;
};

/** `first && rest` returning the deciding value (not a boolean), short-circuiting. */
function and2(first: Node, rest: Node): Node {
  if (first.constant) return truthy(first.value) ? rest : first;
  const a = first.run;
  const b = rest.run;
  const run: Evaluator = first.boolean
    ? (d) => (a(d) as boolean) && b(d)
    : (d) => {
        const v = a(d);
        return truthy(v) ? b(d) : v;
      };
  return derived([first, rest], run, first.boolean && rest.boolean);
}

/** `first || rest` returning the deciding value (not a boolean), short-circuiting. */
function or2(first: Node, rest: Node): Node {
  if (first.constant) return truthy(first.value) ? first : rest;
  const a = first.run;
  const b = rest.run;
  const run: Evaluator = first.boolean
    ? (d) => (a(d) as boolean) || b(d)
    : (d) => {
        const v = a(d);
        return truthy(v) ? v : b(d);
      };
  return derived([first, rest], run, first.boolean && rest.boolean);
}

/** `and`: the first falsy value, or the last value; `undefined` with no arguments (as json-logic-js). */
export const buildAnd: Builder = (args) =>
  args.length === 0 ? literal(undefined) : args.reduceRight((rest, first) => and2(first, rest));

/** `or`: the first truthy value, or the last value; `undefined` with no arguments (as json-logic-js). */
export const buildOr: Builder = (args) =>
  args.length === 0 ? literal(undefined) : args.reduceRight((rest, first) => or2(first, rest));

/** `!`: JSON Logic negation of the first argument. */
export const buildNot: Builder = (args) => {
  const test = condition(argAt(args, 0));
  return derived(args, (d) => !test(d), true);
};

/** `!!`: JSON Logic truthiness of the first argument. */
export const buildTruthy: Builder = (args) => {
  const arg = argAt(args, 0);
  if (arg.boolean) return arg;
  return derived(args, condition(arg), true);
};

/** Makes a comparison closure from its two operands' evaluators. */
type Dynamic = (a: Evaluator, b: Evaluator) => Evaluator;
/** Makes a comparison closure whose right operand is a compile-time constant. */
type Constant = (a: Evaluator, b: unknown) => Evaluator;

/*
 * The comparison operators, each with a variant for a constant right operand (the common
 * `{"==": [{"var": ...}, "literal"]}` shape). Written out per operator rather than through a
 * shared `(a, b) => boolean` helper: a shared call site would go megamorphic and stop inlining.
 * `==` and `!=` are JavaScript loose (in)equality, as in json-logic-js.
 */
const eq: Dynamic = (a, b) => (d) => a(d) == b(d);
const eqConst: Constant = (a, v) => (a === whole ? (d) => d == v : (d) => a(d) == v);
const strictEq: Dynamic = (a, b) => (d) => a(d) === b(d);
const strictEqConst: Constant = (a, v) => (a === whole ? (d) => d === v : (d) => a(d) === v);
const notEq: Dynamic = (a, b) => (d) => a(d) != b(d);
const notEqConst: Constant = (a, v) => (d) => a(d) != v;
const strictNotEq: Dynamic = (a, b) => (d) => a(d) !== b(d);
const strictNotEqConst: Constant = (a, v) => (d) => a(d) !== v;
const gt: Dynamic = (a, b) => (d) => (a(d) as number) > (b(d) as number);
const gtConst: Constant = (a, v) => (d) => (a(d) as number) > (v as number);
const gte: Dynamic = (a, b) => (d) => (a(d) as number) >= (b(d) as number);
const gteConst: Constant = (a, v) => (d) => (a(d) as number) >= (v as number);
const lt: Dynamic = (a, b) => (d) => (a(d) as number) < (b(d) as number);
const ltConst: Constant = (a, v) => (d) => (a(d) as number) < (v as number);
const lte: Dynamic = (a, b) => (d) => (a(d) as number) <= (b(d) as number);
const lteConst: Constant = (a, v) => (d) => (a(d) as number) <= (v as number);

/** A comparison node; a constant array operand is still evaluated, so it compares as a fresh array. */
function comparison(args: readonly Node[], dynamic: Dynamic, constant: Constant): Node {
  const left = argAt(args, 0);
  const right = argAt(args, 1);
  const run = right.constant && !Array.isArray(right.value) ? constant(left.run, right.value) : dynamic(left.run, right.run);
  return derived(args, run, true);
}

export const buildEq: Builder = (args) => comparison(args, eq, eqConst);
export const buildStrictEq: Builder = (args) => comparison(args, strictEq, strictEqConst);
export const buildNotEq: Builder = (args) => comparison(args, notEq, notEqConst);
export const buildStrictNotEq: Builder = (args) => comparison(args, strictNotEq, strictNotEqConst);
export const buildGt: Builder = (args) => comparison(args, gt, gtConst);
export const buildGte: Builder = (args) => comparison(args, gte, gteConst);

/** `<` and `<=` also take three arguments: `a < b < c` ("between"), when the third is not undefined. */
function between(args: readonly Node[], strict: boolean): Node {
  if (args.length < 3) return strict ? comparison(args, lt, ltConst) : comparison(args, lte, lteConst);
  const a = (args[0] as Node).run;
  const b = (args[1] as Node).run;
  const c = (args[2] as Node).run;
  // json-logic-js evaluates all three, then falls back to two-argument form if the third is undefined.
  const run: Evaluator = strict
    ? (d) => {
        const x = a(d) as number;
        const y = b(d) as number;
        const z = c(d) as number | undefined;
        return z === undefined ? x < y : x < y && y < z;
      }
    : (d) => {
        const x = a(d) as number;
        const y = b(d) as number;
        const z = c(d) as number | undefined;
        return z === undefined ? x <= y : x <= y && y <= z;
      };
  return derived(args, run, true);
}

export const buildLt: Builder = (args) => between(args, true);
export const buildLte: Builder = (args) => between(args, false);
