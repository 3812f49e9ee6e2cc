import { describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { attuneOperators, EMPTY_RULE_HOST } from '../../src/rules/attune-operators.js';
import { compileRule } from '../../src/rules/compile-rule.js';
import { literal } from '../../src/rules/node.js';
import { AttuneError } from '../../src/errors.js';
import { compileWith, DAY, evaluate, fakeHost, type FakeEvent, NOW } from './rule-hosts.js';
import { thrownAttuneError } from '../support.js';

const compileError = (rule: unknown): AttuneError => thrownAttuneError(() => compileWith(rule));

describe('compile-time errors', () => {
  it.each([
    ['count without a name', { count: [] }, '[name, window?, filter?]'],
    ['count with four arguments', { count: ['a', '1d', true, 1] }, '[name, window?, filter?]'],
    ['count of a name that is not a string', { count: [5, '1d'] }, 'event name'],
    ['count of an empty name', { count: [''] }, 'event name'],
    ['count with the window "7days"', { count: ['view', '7days'] }, '"7d"'],
    ['count with the window "0d"', { count: ['view', '0d'] }, '"7d"'],
    ['count with the window "1.5d"', { count: ['view', '1.5d'] }, '"7d"'],
    ['count with a window in milliseconds', { count: ['view', 86400000] }, '"30m"'],
    ['since with two names', { since: ['a', 'b'] }, '[name]'],
    ['first_seen of a number', { first_seen: 1 }, 'event name'],
    ['last_seen without a name', { last_seen: [] }, '[name]'],
    ['affinity without a dimension', { affinity: [] }, '[dimension]'],
    ['affinity of an empty dimension', { affinity: [''] }, 'dimension'],
    ['affinity of the top 0 values', { affinity: ['category', 0] }, 'whole number'],
    ['affinity of the top 2.5 values', { affinity: ['category', 2.5] }, 'whole number'],
    ['affinity with a boolean', { affinity: ['category', true] }, 'whole number'],
    ['starts_with with one argument', { starts_with: ['abc'] }, '[text, affix]'],
    ['ends_with with three arguments', { ends_with: ['a', 'b', 'c'] }, '[text, affix]'],
    ['starts_with a number', { starts_with: [{ var: 'id' }, 12] }, 'strings'],
    ['sem_ver with two arguments', { sem_ver: ['1.0.0', '='] }, '[version, operator, version]'],
    ['sem_ver with the operator "==="', { sem_ver: [{ var: 'v' }, '===', '1.0.0'] }, '= != < <= > >= ^ ~'],
    ['sem_ver against "latest"', { sem_ver: [{ var: 'v' }, '>=', 'latest'] }, 'semantic version'],
    ['sem_ver against "1.0.0.0"', { sem_ver: [{ var: 'v' }, '>=', '1.0.0.0'] }, 'semantic version'],
    ['hour in an unknown zone', { hour: ['Mars/Olympus'] }, 'Europe/Paris'],
    ['weekday in an empty zone', { weekday: [''] }, 'IANA'],
    ['hour in a zone that is a number', { hour: [9] }, 'IANA'],
    ['hour with two zones', { hour: ['UTC', 'UTC'] }, '[time zone]'],
    ['in_range with two arguments', { in_range: [1, 2] }, '[value, min, max]'],
    ['in_range with a text bound', { in_range: [{ var: 'x' }, '1', 10] }, 'numbers'],
  ])('rejects %s as rule-invalid, saying what to write', (_name, rule, hint) => {
    const error = compileError(rule);
    expect(error.code).toBe('rule-invalid');
    expect(error.message).toContain(`"${Object.keys(rule)[0]}"`);
    expect(error.message).toContain(hint);
  });

  it('rejects a bad window in a branch that would never run', () => {
    expect(compileError({ if: [false, { count: ['view', '7 days'] }, 0] }).code).toBe('rule-invalid');
  });

  it('rejects a bad constant inside a count filter', () => {
    expect(compileError({ count: ['view', '1d', { hour: ['Nowhere/Land'] }] }).code).toBe('rule-invalid');
  });
});

describe('wiring', () => {
  it('leaves unknown names to the custom operators', () => {
    const rule = compileRule({ segment: 'vip' }, { operators: { segment: (args) => args[0] === 'vip' }, builders: attuneOperators(fakeHost()) });
    expect(rule({})).toBe(true);
  });

  it('does not take inherited object keys for operators', () => {
    expect(attuneOperators(fakeHost())('toString')).toBeUndefined();
  });

  it('still reports an unknown operator', () => {
    expect(() => compileWith({ counts: ['view'] })).toThrow(/Unknown rule operator "counts"/);
  });

  it.each(['count', 'since', 'first_seen', 'last_seen', 'affinity', 'hour', 'weekday'])(
    'marks %s as reading data and pure, so it is never computed at compile time',
    (name) => {
      const node = attuneOperators(fakeHost())(name)!([literal(name === 'hour' || name === 'weekday' ? 'UTC' : 'x')]);
      expect([node.readsData, node.pure, node.constant]).toEqual([true, true, false]);
    },
  );

  it('recomputes a host value inside an otherwise constant rule at each evaluation', () => {
    const events: FakeEvent[] = [];
    const rule = compileWith({ '+': [{ count: 'view' }, 1] }, fakeHost(events));
    expect(rule({})).toBe(1);
    events.push({ name: 'view', t: NOW });
    expect(rule({})).toBe(2);
  });

  it('computes flagd operators over constants at compile time, as any pure operator', () => {
    expect(evaluate({ sem_ver: ['1.2.3', '<', '1.10.0'] })).toBe(true);
  });

  it('exports attuneOperators, EMPTY_RULE_HOST and compileRule from the package entry', () => {
    const rule = core.compileRule({ '<': [{ since: 'add_to_cart' }, 1800] }, { builders: core.attuneOperators(core.EMPTY_RULE_HOST) });
    expect(rule({})).toBe(false);
  });

  it('gives an empty history with EMPTY_RULE_HOST', () => {
    const rule = compileRule({ merge: [{ count: 'x' }, { last_seen: 'x' }, { count: ['x', '1d', true] }] }, { builders: attuneOperators(EMPTY_RULE_HOST) });
    expect(rule({})).toEqual([0, null, 0]);
  });
});

describe('hostile data', () => {
  const hostile: unknown[] = [
    null, undefined, 0, -1, NaN, Infinity, '', 'constructor', '__proto__', 'toString', true, [], [null], {}, { length: -1 },
    JSON.parse('{"__proto__": {"polluted": 1}}'), '9'.repeat(400), '\u0000', -0,
  ];
  const profiles: unknown[] = [
    ...hostile,
    { top: null, affinities: null },
    { top: { category: 'shoes' }, affinities: { category: 'shoes' } },
    { top: { category: [null, {}, 3] }, affinities: { category: { a: 'high', b: NaN, c: null, d: 2 } } },
    JSON.parse('{"top": {"__proto__": ["x"]}, "affinities": {"__proto__": {"__proto__": 1}}}'),
  ];
  const host = fakeHost([
    { name: 'view', t: NOW - DAY, properties: { price: '12' } },
    { name: 'constructor', t: NOW, properties: {} },
  ]);
  const x = { var: 'x' };
  const rules: unknown[] = [
    { count: x }, { count: ['view', x] }, { count: [x, x, x] }, { count: ['view', '7d', { '<': [{ var: 'event.properties.price' }, x] }] },
    { since: x }, { first_seen: x }, { last_seen: x },
    { affinity: x }, { affinity: [x, x] }, { affinity: ['category', x] }, { affinity: ['category'] }, { affinity: ['category', 3] }, { affinity: ['category', 'a'] },
    { starts_with: [x, x] }, { ends_with: [x, 'a'] }, { sem_ver: [x, x, x] }, { sem_ver: [x, '>=', '1.0.0'] },
    { hour: [x] }, { weekday: [x] }, { in_range: [x, x, x] }, { in_range: [x, 22, 6] },
  ];

  it.each(rules.map((rule) => [JSON.stringify(rule), rule]))('%s never throws, whatever x and the profile are', (_name, rule) => {
    const compiled = compileWith(rule, host);
    for (const value of hostile) {
      for (const profile of profiles) expect(() => compiled({ x: value, profile, context: value })).not.toThrow();
      expect(() => compiled(value)).not.toThrow();
    }
  });

  it('does not pollute Object.prototype', () => {
    for (const rule of rules) for (const value of hostile) compileWith(rule, host)({ x: value, profile: value });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads only own keys: a value inherited from a prototype is not in the profile', () => {
    const category = Object.create({ shoes: 5 }) as Record<string, number>;
    expect(evaluate({ affinity: ['category', 'shoes'] }, { profile: { affinities: { category } } })).toBe(0);
  });

  it('gives 0 for a score that is not a number', () => {
    expect(evaluate({ affinity: ['category', 'a'] }, { profile: { affinities: { category: { a: 'high' } } } })).toBe(0);
  });

  it('leaves scores that are not numbers out of the top values', () => {
    expect(evaluate({ affinity: ['category', 9] }, { profile: { affinities: { category: { a: 'high', b: NaN, c: 1, d: 2 } } } })).toEqual(['d', 'c']);
  });
});
