import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { attuneOperators } from '../../src/rules/attune-operators.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { compileRule } from '../../src/rules/compile-rule.js';
import { journeyStage, segmentMembership } from '../../src/decide/membership.js';
import { AttuneError } from '../../src/errors.js';
import { rawBundle } from '../decide/decide-support.js';
import { DAY, fakeHost, HOUR, NOW } from './rule-hosts.js';

/*
 * Property-based tests of the rule compiler: generated JSON Logic rules over every standard
 * operator but `log`, run on generated JSON data. Data keys are never members of
 * Object.prototype ("constructor", "toString"...): Attune reads own properties only there,
 * deliberately unlike json-logic-js.
 */

/** Data keys, and the steps of `var` paths (plus indices, `length`, and reduce's scope). */
const KEYS = ['a', 'b', 'c', 's', 'xs', '0', '1', 'é', 'a b', 'current', 'accumulator'] as const;
const key = fc.constantFrom(...KEYS);

const text = fc.oneof(
  fc.constantFrom('', '0', '1', '-1', '-0', 'a', 'abc', 'A', '3px', '1e3', ' 2 ', 'true', 'null', 'a.b', 'é', '😀', 'Infinity'),
  fc.string({ maxLength: 5, unit: 'binary' }),
);
const number = fc.oneof(
  fc.integer({ min: -3, max: 10 }),
  fc.constantFrom(0, -0, 0.5, -1.5, 1e21, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** A JSON scalar (JSON has no NaN or Infinity; it does have -0). */
const scalar = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(null, '', 0, 1, true, false, '0') }, number, text);

/** Nested JSON: scalars, arrays and objects (plain, as JSON.parse makes them), a few levels deep. */
const { json } = fc.letrec<{ json: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  json: fc.oneof({ maxDepth: 3, depthIdentifier: 'json' }, { weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: tie('array') }, { weight: 1, arbitrary: tie('object') }),
  array: fc.array(tie('json'), { maxLength: 4, depthIdentifier: 'json' }),
  object: fc.dictionary(key, tie('json'), { maxKeys: 5, noNullPrototype: true, depthIdentifier: 'json' }),
}));
/** What rules run on: mostly an object, sometimes any JSON value (or nothing). */
const data = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(key, json, { maxKeys: 8, noNullPrototype: true }) },
  { weight: 1, arbitrary: json },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const step = fc.oneof({ weight: 4, arbitrary: key }, fc.constantFrom('2', 'length', 'missing'));
/** A `var` path: dotted keys, the whole data ("", null), or an index given as a number. */
const path = fc.oneof(
  { weight: 5, arbitrary: step },
  { weight: 3, arbitrary: fc.array(step, { minLength: 2, maxLength: 3 }).map((steps) => steps.join('.')) },
  { weight: 1, arbitrary: fc.constantFrom('', null) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }) },
);
/** Literals a rule may hold: scalars and arrays of scalars (an object in a rule is an operation). */
const literal = fc.oneof({ weight: 4, arbitrary: scalar }, fc.array(scalar, { maxLength: 3 }));
const read = fc.oneof(
  path.map((p) => ({ var: p })),
  path.map((p) => ({ var: [p] })),
  fc.tuple(path, literal).map(([p, fallback]) => ({ var: [p, fallback] })),
);
const leaf = fc.oneof(literal, read, read);

const op = (name: string, args: fc.Arbitrary<unknown>) => args.map((value) => ({ [name]: value }));
/** `{"!": x}` and `{"!": [x]}`: one argument may be given bare (unless it is an array, which would spread). */
const unary = (name: string, arg: fc.Arbitrary<unknown>) =>
  fc.tuple(arg, fc.boolean()).map(([x, bare]) => ({ [name]: bare && !Array.isArray(x) ? x : [x] }));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const defined = (...values: unknown[]): unknown[] => values.filter((v) => v !== undefined);

/**
 * Keys for `missing` computed at run time, as scalars: json-logic-js reads each key as the rule
 * {"var": key}, so an array key from the data would be taken as [path, default] (an object as a
 * rule); Attune reads every key as a path (documented in docs/rule-operators.md).
 */
const keysFrom = (sub: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.tuple(sub, path).map(([x, p]) => [{ cat: [x] }, p]),
    fc.tuple(path, sub, fc.array(path, { maxLength: 2 })).map(([p, condition, more]) => ({ merge: [p, { if: [condition, more, []] }] })),
  );

/** The standard operations whose arguments are rules one level shallower (`sub`). */
function standardOps(sub: fc.Arbitrary<unknown>): fc.Arbitrary<unknown>[] {
  const args = (min: number, max: number) => fc.array(sub, { minLength: min, maxLength: max });
  const source = fc.oneof(sub, fc.array(scalar, { maxLength: 4 }));
  return [
    ...['and', 'or', 'max', 'min', '+', 'cat', 'merge'].map((name) => op(name, args(0, 4))),
    ...['if', '?:'].map((name) => op(name, args(0, 5))),
    op('*', args(1, 3)),
    op('-', args(1, 2)),
    ...['==', '===', '!=', '!==', '>', '>=', '/', '%'].map((name) => op(name, fc.oneof({ weight: 5, arbitrary: args(2, 2) }, args(0, 1)))),
    ...['<', '<='].map((name) => op(name, args(2, 3))),
    ...['!', '!!'].map((name) => unary(name, sub)),
    fc.tuple(sub, optional(sub)).map(([p, fallback]) => ({ var: defined(p, fallback) })),
    op('missing', fc.oneof(fc.array(path, { maxLength: 3 }), keysFrom(sub))),
    op('missing_some', fc.tuple(fc.oneof(fc.integer({ min: 0, max: 3 }), sub), fc.oneof(fc.array(path, { maxLength: 3 }), keysFrom(sub)))),
    op('substr', fc.tuple(sub, fc.oneof(fc.integer({ min: -4, max: 4 }), sub), optional(fc.oneof(fc.integer({ min: -4, max: 4 }), sub))).map((a) => defined(...a))),
    op('in', fc.tuple(sub, fc.oneof(sub, fc.array(scalar, { maxLength: 20 }), text))),
    ...['map', 'filter', 'all', 'none', 'some'].map((name) => op(name, fc.tuple(source, sub))),
    op('reduce', fc.tuple(source, sub, optional(sub)).map((a) => defined(...a))),
  ];
}

/** Arguments of Attune's operators: constants they check at compile time, or rules. */
const attuneArg = (sub: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.constantFrom('view', 'buy', 'category', '7d', '30m', '1x', 'UTC', 'Europe/Paris', 'Mars/Base', '>=', '^', '~', '1.2.3', 'v2', 'x', 0, 3, 2.5, null),
    sub,
  );
const ATTUNE_OPS = ['count', 'since', 'first_seen', 'last_seen', 'affinity', 'starts_with', 'ends_with', 'sem_ver', 'hour', 'weekday', 'in_range'];

/** Everything a rule may hold, well-formed or not: Attune's operators, unknown ones, malformed objects. */
function anyOps(sub: fc.Arbitrary<unknown>): fc.Arbitrary<unknown>[] {
  return [
    ...standardOps(sub),
    fc.tuple(fc.constantFrom(...ATTUNE_OPS), fc.array(attuneArg(sub), { maxLength: 4 })).map(([name, args]) => ({ [name]: args })),
    fc.tuple(fc.constantFrom(...ATTUNE_OPS), attuneArg(sub)).map(([name, arg]) => ({ [name]: arg })),
    fc.tuple(fc.constantFrom('nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'segment', 'log.x', ''), sub).map(([name, arg]) => ({ [name]: arg })),
    fc.constantFrom({}, { a: 1, b: 2 }, { '*': [] }, { var: 'a', '==': [1, 1] }),
  ];
}

/** Rules up to `depth` operations deep, each level built once from the one below. */
function rulesUpTo(depth: number, ops: (sub: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  let rule: fc.Arbitrary<unknown> = leaf;
  for (let d = 1; d <= depth; d++) rule = fc.oneof({ weight: 1, arbitrary: leaf }, { weight: 3, arbitrary: fc.oneof(...ops(rule)) });
  return rule;
}

const standardRule = rulesUpTo(4, standardOps);
const anyRule = rulesUpTo(3, anyOps);

/** A fixed history for Attune's operators to read. */
const host = fakeHost([
  { name: 'view', t: NOW - 2 * HOUR, properties: { price: 10, category: 'shoes' } },
  { name: 'view', t: NOW - 3 * DAY, properties: { price: 80 } },
  { name: 'buy', t: NOW - 10 * DAY, properties: { revenue: '12.5' } },
]);
const builders = attuneOperators(host);

/** Compiles, and accepts only the documented compile errors. */
function compileOrExplain(rule: unknown): ((data: unknown) => unknown) | AttuneError {
  try {
    return compileRule(rule, { builders });
  } catch (error) {
    if (error instanceof AttuneError && (error.code === 'rule-invalid' || error.code === 'rule-unknown-operator')) return error;
    throw error;
  }
}

/** The same JSON with every object made without a prototype (as Attune's profile maps are). */
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = withoutPrototypes(v);
  return out;
}

// Generous timeouts: the machine may be busy; fast-check stops generating before them.
describe('rule compiler properties', { timeout: 30_000 }, () => {
  it('compiles every standard-operator rule and agrees with json-logic-js wherever json-logic-js answers', () => {
    fc.assert(
      fc.property(standardRule, fc.array(data, { minLength: 1, maxLength: 3 }), (rule, inputs) => {
        const compiled = compileRule(rule);
        for (const input of inputs) {
          let expected: unknown;
          let threw = false;
          try {
            expected = jsonLogic.apply(rule, input);
          } catch {
            threw = true; // json-logic-js crashes (e.g. missing_some of null): Attune still answers.
          }
          const actual = compiled(input);
          // Object.is per value: NaN equals NaN, -0 differs from 0.
          if (!threw) expect(actual).toStrictEqual(expected);
        }
      }),
      { numRuns: 3000, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('returns fresh results: changing one evaluation’s result leaves the next unchanged', () => {
    fc.assert(
      fc.property(standardRule, data, (rule, input) => {
        const compiled = compileRule(rule);
        // Each evaluation gets its own copy of the data: a result may be a part of it.
        const first = compiled(structuredClone(input));
        const snapshot = structuredClone(first);
        if (Array.isArray(first)) first.push('changed');
        expect(compiled(structuredClone(input))).toStrictEqual(snapshot);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('either compiles any rule or throws rule-invalid / rule-unknown-operator, and evaluation on JSON never throws', () => {
    fc.assert(
      fc.property(anyRule, fc.array(data, { minLength: 1, maxLength: 3 }), (rule, inputs) => {
        const compiled = compileOrExplain(rule);
        if (compiled instanceof AttuneError) return;
        for (const input of inputs) compiled(input);
      }),
      { numRuns: 1000, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('decides bundle segments and stages from any rules on any data, prototype-less objects included, without throwing', () => {
    const segmentIds = ['s0', 's1', 's2'];
    const segmentRule = fc.oneof(anyRule, standardRule, fc.constantFrom(...segmentIds, 'nope').map((id) => ({ segment: id })));
    fc.assert(
      fc.property(fc.array(segmentRule, { minLength: 1, maxLength: 3 }), data, fc.boolean(), (rules, input, bare) => {
        const segments = rules.map((when, i) => ({ id: segmentIds[i], when: { or: [when, { segment: segmentIds[(i + 1) % 3] }] } }));
        let bundle;
        try {
          bundle = compileBundle(validateBundle(rawBundle([], { segments, stages: [{ id: 'st', when: rules[0] }] })), host);
        } catch (error) {
          expect(error).toBeInstanceOf(AttuneError);
          expect(['bundle-rule-invalid', 'bundle-invalid']).toContain((error as AttuneError).code);
          return;
        }
        const errors: unknown[] = [];
        // Rules read the data's own keys as well as context.* and profile.*.
        const root = bare ? withoutPrototypes(input) : input;
        const decisionData = { ...(root !== null && typeof root === 'object' ? root : {}), context: root, profile: root };
        const members = segmentMembership(bundle, decisionData, (_where, error) => void errors.push(error));
        expect(members.every((id) => segmentIds.includes(id))).toBe(true);
        const stage = journeyStage(bundle, decisionData, (_where, error) => void errors.push(error));
        expect(stage === null || stage === 'st').toBe(true);
        // Only prototype-less data can make a rule throw (coercing such an object to text or a number).
        if (!bare) expect(errors).toEqual([]);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });
});
