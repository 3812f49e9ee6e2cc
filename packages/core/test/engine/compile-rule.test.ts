import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { AttuneError } from '../../src/errors.js';
import { compileRule, truthy } from '../../src/engine/compile-rule.js';

const run = (rule: unknown, data?: unknown): unknown => compileRule(rule)(data);

function compileError(rule: unknown, options?: Parameters<typeof compileRule>[1]): AttuneError {
  try {
    compileRule(rule, options);
  } catch (error) {
    if (error instanceof AttuneError) return error;
    throw error;
  }
  throw new Error('expected compileRule to throw');
}

describe('non-operation rules', () => {
  it.each([
    ['true evaluates to itself', true],
    ['false evaluates to itself', false],
    ['an integer evaluates to itself', 17],
    ['a float evaluates to itself', 3.14],
    ['a string evaluates to itself', 'apple'],
    ['null evaluates to itself', null],
  ])('%s', (_name, rule) => {
    expect(run(rule, {})).toBe(rule);
  });

  it('an array of values evaluates to an equal array', () => {
    expect(run(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('an array of rules evaluates element-wise', () => {
    expect(run([{ var: 'a' }, { '+': [1, 1] }, 'x'], { a: 5 })).toEqual([5, 2, 'x']);
  });

  it('returns a fresh array on every evaluation, so callers cannot corrupt the rule', () => {
    const rule = compileRule([1, [2, 3]]);
    const first = rule(null) as unknown[];
    first.push(99);
    (first[1] as unknown[]).push(99);
    expect(rule(null)).toEqual([1, [2, 3]]);
  });
});

describe('truthy', () => {
  it.each([
    ['an empty array is falsy', [], false],
    ['a non-empty array is truthy', [0], true],
    ['the string "0" is truthy', '0', true],
    ['the empty string is falsy', '', false],
    ['zero is falsy', 0, false],
    ['NaN is falsy', NaN, false],
    ['null is falsy', null, false],
    ['undefined is falsy', undefined, false],
    ['an empty object is truthy', {}, true],
    ['a negative number is truthy', -1, true],
  ])('%s', (_name, value, expected) => {
    expect(truthy(value)).toBe(expected);
  });
});

describe('var', () => {
  it('reads a top-level key', () => {
    expect(run({ var: ['a'] }, { a: 1 })).toBe(1);
  });

  it('accepts a single path without the array', () => {
    expect(run({ var: 'a' }, { a: 1 })).toBe(1);
  });

  it('reads a dot path', () => {
    expect(run({ var: 'a.b.c' }, { a: { b: { c: 'deep' } } })).toBe('deep');
  });

  it('reads a numeric index from an array', () => {
    expect(run({ var: 1 }, ['apple', 'banana'])).toBe('banana');
  });

  it('reads a numeric index given as a string', () => {
    expect(run({ var: '1' }, ['apple', 'banana'])).toBe('banana');
  });

  it('reads nested indices through a dot path', () => {
    expect(run({ var: '1.1' }, ['apple', ['banana', 'beer']])).toBe('beer');
  });

  it('reads an array element inside an object', () => {
    expect(run({ var: 'items.0.sku' }, { items: [{ sku: 'A1' }] })).toBe('A1');
  });

  it('returns null for a missing key', () => {
    expect(run({ var: 'b' }, { a: 1 })).toBeNull();
  });

  it('returns null when the data is null', () => {
    expect(run({ var: 'a' }, null)).toBeNull();
  });

  it('returns null when the data is undefined', () => {
    expect(run({ var: 'a.b' })).toBeNull();
  });

  it('returns null when an intermediate value is null', () => {
    expect(run({ var: 'a.b.c' }, { a: { b: null } })).toBeNull();
  });

  it('returns a present null rather than the default', () => {
    expect(run({ var: ['a', 'fallback'] }, { a: null })).toBeNull();
  });

  it('returns the default for a missing key', () => {
    expect(run({ var: ['b', 2] }, { a: 1 })).toBe(2);
  });

  it('returns the default for a missing dot path', () => {
    expect(run({ var: ['a.q', 9] }, { a: { b: 'c' } })).toBe(9);
  });

  it('returns the default when the data is null', () => {
    expect(run({ var: ['a', 1] }, null)).toBe(1);
  });

  it('evaluates a default that is itself a rule', () => {
    expect(run({ var: ['a', { var: 'b' }] }, { b: 'from b' })).toBe('from b');
  });

  it('returns a present falsy value rather than the default', () => {
    expect(run({ var: ['a', 'fallback'] }, { a: 0 })).toBe(0);
  });

  it.each([
    ['an empty string path', ''],
    ['a null path', null],
  ])('returns the whole data for %s', (_name, path) => {
    expect(run({ var: path }, { a: 1 })).toEqual({ a: 1 });
  });

  it('returns the whole data for an empty argument list', () => {
    expect(run({ var: [] }, 1)).toBe(1);
  });

  it('takes its path from a rule', () => {
    const rule = { var: [{ '?:': [{ '<': [{ var: 'temp' }, 110] }, 'pie.filling', 'pie.eta'] }] };
    expect(run(rule, { temp: 100, pie: { filling: 'apple', eta: '60s' } })).toBe('apple');
  });

  it('returns the whole data when a rule-computed path is empty', () => {
    expect(run({ var: { cat: [] } }, { a: 1 })).toEqual({ a: 1 });
  });

  it('reads the length of a string like json-logic-js', () => {
    expect(run({ var: 'name.length' }, { name: 'abc' })).toBe(3);
  });
});

describe('missing', () => {
  it('returns an empty array when given no keys', () => {
    expect(run({ missing: [] }, null)).toEqual([]);
  });

  it('lists a key absent from the data', () => {
    expect(run({ missing: ['a', 'b'] }, { a: 'apple' })).toEqual(['b']);
  });

  it('accepts a single key without the array', () => {
    expect(run({ missing: 'a' }, null)).toEqual(['a']);
  });

  it('lists every key when the data is null', () => {
    expect(run({ missing: ['a', 'b'] }, null)).toEqual(['a', 'b']);
  });

  it('treats null and the empty string as missing', () => {
    expect(run({ missing: ['a', 'b', 'c'] }, { a: null, b: '', c: 0 })).toEqual(['a', 'b']);
  });

  it('treats false and zero as present', () => {
    expect(run({ missing: ['a', 'b'] }, { a: false, b: 0 })).toEqual([]);
  });

  it('checks dot paths', () => {
    expect(run({ missing: ['a.b', 'a.c'] }, { a: { b: 'apple brownie' } })).toEqual(['a.c']);
  });

  it('takes its keys from an array produced by another rule', () => {
    const rule = { missing: { merge: ['vin', { if: [{ var: 'financing' }, ['apr'], []] }] } };
    expect(run(rule, { financing: true })).toEqual(['vin', 'apr']);
  });

  it('works as an if condition because an empty result is falsy', () => {
    expect(run({ if: [{ missing: 'a' }, 'missed it', 'found it'] }, { a: 'apple' })).toBe('found it');
  });
});

describe('missing_some', () => {
  it('returns an empty array when enough keys are present', () => {
    expect(run({ missing_some: [1, ['a', 'b']] }, { b: 'banana' })).toEqual([]);
  });

  it('returns every missing key when too few are present', () => {
    expect(run({ missing_some: [2, ['a', 'b', 'c']] }, { a: 'apple', d: 'durian' })).toEqual(['b', 'c']);
  });

  it('returns all keys when none are present', () => {
    expect(run({ missing_some: [1, ['a', 'b']] }, { c: 'carrot' })).toEqual(['a', 'b']);
  });

  it('is satisfied by a minimum of zero', () => {
    expect(run({ missing_some: [0, ['a']] }, {})).toEqual([]);
  });

  it('takes its key list from a rule', () => {
    expect(run({ missing_some: [1, { var: 'keys' }] }, { keys: ['x', 'y'], y: 1 })).toEqual([]);
  });
});

describe('compile-time errors', () => {
  it('rejects an unknown operator with rule-unknown-operator', () => {
    expect(compileError({ foo: [1] }).code).toBe('rule-unknown-operator');
  });

  it('names the unknown operator in the message', () => {
    expect(compileError({ foo: [1] }).message).toContain('"foo"');
  });

  it('says how to register a custom operator', () => {
    expect(compileError({ foo: [1] }).message).toContain('operators');
  });

  it('finds an unknown operator nested deep in the rule', () => {
    expect(compileError({ and: [true, { if: [{ bar: [] }, 1, 2] }] }).message).toContain('"bar"');
  });

  it('finds an unknown operator in a branch that would never be evaluated', () => {
    expect(compileError({ if: [false, { nope: [] }, 1] }).code).toBe('rule-unknown-operator');
  });

  it('does not take inherited object properties for operators', () => {
    expect(compileError({ toString: [] }).code).toBe('rule-unknown-operator');
  });

  it('rejects an object with more than one key as rule-invalid', () => {
    expect(compileError({ '==': [1, 1], '!=': [1, 2] }).code).toBe('rule-invalid');
  });

  it('lists the keys of an object with more than one key', () => {
    expect(compileError({ a: 1, b: 2 }).message).toContain('"a", "b"');
  });

  it('rejects an empty object as rule-invalid', () => {
    expect(compileError({}).code).toBe('rule-invalid');
  });

  it('rejects a multi-key object nested in an argument', () => {
    expect(compileError({ in: ['a', [{ x: 1, y: 2 }]] }).code).toBe('rule-invalid');
  });

  it('rejects a multiplication without arguments as rule-invalid', () => {
    expect(compileError({ '*': [] }).code).toBe('rule-invalid');
  });

  it('throws AttuneError instances', () => {
    expect(() => compileRule({ foo: 1 })).toThrow(AttuneError);
  });
});

describe('custom operators', () => {
  it('receives its arguments already evaluated', () => {
    const rule = compileRule({ pair: [{ var: 'a' }, { '+': [1, 2] }] }, { operators: { pair: (args) => args } });
    expect(rule({ a: 'x' })).toEqual(['x', 3]);
  });

  it('receives the data the rule runs on', () => {
    const rule = compileRule({ whole: [] }, { operators: { whole: (_args, data) => data } });
    expect(rule({ a: 1 })).toEqual({ a: 1 });
  });

  it('receives the current element as data inside a scoped rule', () => {
    const rule = compileRule({ map: [[1, 2], { echo: [] }] }, { operators: { echo: (_args, data) => data } });
    expect(rule(null)).toEqual([1, 2]);
  });

  it('accepts a single argument without the array', () => {
    const rule = compileRule({ double: { var: 'n' } }, { operators: { double: ([n]) => (n as number) * 2 } });
    expect(rule({ n: 21 })).toBe(42);
  });

  it('handles many arguments', () => {
    const sum = (args: unknown[]): unknown => args.reduce<number>((total, v) => total + (v as number), 0);
    expect(compileRule({ sum: [1, 2, 3, 4, 5] }, { operators: { sum } })(null)).toBe(15);
  });

  it('composes with standard operators', () => {
    const rule = compileRule({ and: [{ isEven: { var: 'n' } }, true] }, { operators: { isEven: ([n]) => (n as number) % 2 === 0 } });
    expect(rule({ n: 4 })).toBe(true);
  });

  it('is called on every evaluation, never folded at compile time', () => {
    let calls = 0;
    const rule = compileRule({ tick: [1] }, { operators: { tick: () => ++calls } });
    rule(null);
    expect(rule(null)).toBe(2);
  });

  it('gets a fresh argument array on every call', () => {
    const seen: unknown[][] = [];
    const rule = compileRule({ keep: [1] }, { operators: { keep: (args) => seen.push(args) } });
    rule(null);
    rule(null);
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('rejects a custom operator named like a standard one with rule-invalid', () => {
    expect(compileError(1, { operators: { var: () => 1 } }).code).toBe('rule-invalid');
  });

  it('names the clashing custom operator', () => {
    expect(compileError(1, { operators: { '==': () => 1 } }).message).toContain('"=="');
  });

  it('rejects a custom operator that is not a function', () => {
    const operators = { nope: 42 } as unknown as Record<string, () => unknown>;
    expect(compileError(1, { operators }).code).toBe('rule-invalid');
  });
});

describe('compilation', () => {
  it('does not read the rule again after compiling', () => {
    const source = { '==': [{ var: 'a' }, 1] };
    const rule = compileRule(source);
    source['=='][1] = 2;
    expect(rule({ a: 1 })).toBe(true);
  });

  it('evaluates the same compiled rule against many data', () => {
    const rule = compileRule({ '>': [{ var: 'n' }, 1] });
    expect([0, 1, 2, 3].map((n) => rule({ n }))).toEqual([false, false, true, true]);
  });

  it('logs with console.log and returns the value', () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(run({ log: 'apple' })).toBe('apple');
      expect(spy).toHaveBeenCalledWith('apple');
    } finally {
      spy.mockRestore();
    }
  });

  it('logs on every evaluation, never only at compile time', () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const rule = compileRule({ log: [{ '+': [1, 2] }] });
      rule(null);
      rule(null);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('contains no eval or Function constructor, so it runs under a strict CSP', () => {
    const files = ['compile-rule', 'node', 'operators', 'ops-array', 'ops-data', 'ops-logic', 'ops-math', 'ops-string', 'truthy'];
    const sources = files.map((f) => readFileSync(new URL(`../../src/engine/${f}.ts`, import.meta.url), 'utf8')).join('\n');
    expect(sources).not.toMatch(/\beval\s*\(|\bFunction\s*\(/);
  });
});
