import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile-rule.js';
import { AttuneError } from '../../src/errors.js';
import { thrownAttuneError } from '../support.js';

const compileError = (rule: unknown, options?: Parameters<typeof compileRule>[1]): AttuneError =>
  thrownAttuneError(() => compileRule(rule, options));

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

  it('spells out the whole fix: a standard operator, or a custom one registered with compileRule', () => {
    expect(compileError({ foo: [1] }).message).toBe(
      'Unknown rule operator "foo": use a standard JSON Logic operator (https://jsonlogic.com/operations.html), ' +
        'or register it with compileRule(rule, { operators: { "foo": (args, data) => ... } }).',
    );
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

  it('rejects a rule nested too deeply to compile as rule-invalid, not with a RangeError', () => {
    let rule: unknown = true;
    for (let i = 0; i < 50_000; i++) rule = { '!': [rule] };
    const error = compileError(rule);
    expect(error).toMatchObject({ code: 'rule-invalid', message: expect.stringContaining('nested too deeply') });
    // The engine's own error stays reachable for debugging, as the standard Error cause.
    expect(error.cause).toBeInstanceOf(RangeError);
    // Deep but reasonable rules compile as usual.
    let deep: unknown = true;
    for (let i = 0; i < 200; i++) deep = { '!': [deep] };
    expect(compileRule(deep)(null)).toBe(true);
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

  it('throws AttuneError instances, named AttuneError, with no cause when nothing caused them', () => {
    expect(() => compileRule({ foo: 1 })).toThrow(AttuneError);
    const error = compileError({ foo: 1 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AttuneError');
    expect('cause' in error).toBe(false);
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
