import { AttuneError } from '../errors.js';
import { argAt, type Builder, derived, type Evaluator, literal } from './node.js';

/**
 * `parseFloat` as json-logic-js applies it in `+` and `*`: strings are parsed ("3px" is 3), other
 * values go through their string form. Numbers skip the string round trip; `+ 0` keeps the one
 * difference it would make (`parseFloat(-0)` is `0`).
 */
function num(value: unknown): number {
  return typeof value === 'number' ? value + 0 : parseFloat(value as string);
}

/** `+`: sum with parseFloat semantics; with one argument it casts to a number. */
export const buildAdd: Builder = (args) => {
  const runs = args.map((a) => a.run);
  const [a, b] = runs as [Evaluator, Evaluator];
  // json-logic-js reduces from 0; the leading `0 +` keeps its sign behaviour (0 + -0 is 0).
  return derived(
    args,
    runs.length === 2
      ? (d) => 0 + num(a(d)) + num(b(d))
      : (d) => {
          let sum = 0;
          for (let i = 0; i < runs.length; i++) sum += num((runs[i] as Evaluator)(d));
          return sum;
        },
  );
};

/** `*`: product with parseFloat semantics. One argument is returned as is (json-logic-js reduces without a seed). */
export const buildMultiply: Builder = (args) => {
  const runs = args.map((a) => a.run);
  const [a, b] = runs as [Evaluator, Evaluator];
  switch (runs.length) {
    case 0:
      throw new AttuneError('rule-invalid', 'Invalid rule: "*" needs at least one argument, e.g. {"*": [{"var": "price"}, 2]}.');
    case 1:
      return args[0] ?? literal(undefined);
    case 2:
      return derived(args, (d) => num(a(d)) * num(b(d)));
    default:
      return derived(args, (d) => {
        let product = num(a(d)) * num(b(d));
        for (let i = 2; i < runs.length; i++) product = num(product) * num((runs[i] as Evaluator)(d));
        return product;
      });
  }
};

/** `-`: negation with one argument, subtraction with two (JavaScript coercion, no parseFloat). */
export const buildSubtract: Builder = (args) => {
  const a = argAt(args, 0).run;
  if (args.length < 2) return derived(args, (d) => -(a(d) as number));
  const right = argAt(args, 1);
  if (right.constant && right.value !== undefined) {
    const v = right.value as number;
    return derived(args, (d) => (a(d) as number) - v);
  }
  const b = right.run;
  // json-logic-js negates when the second argument evaluates to undefined.
  return derived(args, (d) => {
    const x = a(d) as number;
    const y = b(d) as number | undefined;
    return y === undefined ? -x : x - y;
  });
};

/** `/`: JavaScript division (coercing). */
export const buildDivide: Builder = (args) => {
  const a = argAt(args, 0).run;
  const b = argAt(args, 1).run;
  return derived(args, (d) => (a(d) as number) / (b(d) as number));
};

/** `%`: JavaScript remainder (coercing). */
export const buildModulo: Builder = (args) => {
  const a = argAt(args, 0).run;
  const b = argAt(args, 1).run;
  return derived(args, (d) => (a(d) as number) % (b(d) as number));
};

/** `max` / `min`: `Math.max` / `Math.min` over the arguments (so none gives -Infinity / Infinity). */
function extreme(args: Parameters<Builder>[0], pick: (x: number, y: number) => number, empty: number) {
  const runs = args.map((a) => a.run);
  const [a, b] = runs as [Evaluator, Evaluator];
  // Pairwise is the same as one variadic call: coercion, NaN and ±0 behave identically. No arguments fold to `empty`.
  return derived(
    args,
    runs.length === 2
      ? (d) => pick(a(d) as number, b(d) as number)
      : (d) => {
          let result = empty;
          for (let i = 0; i < runs.length; i++) result = pick(result, (runs[i] as Evaluator)(d) as number);
          return result;
        },
  );
}

export const buildMax: Builder = (args) => extreme(args, Math.max, -Infinity);
export const buildMin: Builder = (args) => extreme(args, Math.min, Infinity);
