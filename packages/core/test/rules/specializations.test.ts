import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile-rule.js';

// The compiler specializes closures by operand kind (constant operands, `{"var": ""}`, static
// paths...). Each shape below is checked against json-logic-js on values of every JSON type and
// the awkward ones (NaN, -0, "", "1" vs 1, null, undefined, arrays): a specialization must never
// change a result.

/** The values each rule is evaluated on, as the data itself and under `x` (so `{"var": "x"}` reads them). */
const VALUES: unknown[] = [0, -0, 1, 2, '1', '2', 'a', '', ' ', NaN, null, undefined, true, false, [], [1], ['1'], [1, 2], {}, { a: 1 }, 'en-US', '/shop/shoes'];
const DATA: unknown[] = [...VALUES, ...VALUES.map((x) => ({ x, y: { z: x }, list: [x, 1, '1'] })), { x: [1, '1', NaN, null, 0, ''] }, { list: [] }];

/** Asserts the compiled rule agrees with json-logic-js on every data value (both throwing counts as agreeing). */
function agrees(rule: unknown): void {
  const compiled = compileRule(rule);
  for (const data of DATA) {
    let expected: unknown;
    let threw = false;
    try {
      expected = jsonLogic.apply(rule as never, data as never);
    } catch {
      threw = true;
    }
    if (threw) {
      expect(() => compiled(data), JSON.stringify({ rule, data })).toThrow();
      continue;
    }
    expect(compiled(data), JSON.stringify({ rule, data }) ?? 'undefined').toStrictEqual(expected);
  }
}

const CONSTANTS: unknown[] = [0, 1, '1', '', 'a', null, true, false];

describe('missing and missing_some read each key once, without a test wrapper', () => {
  it.each([
    [{ missing: ['x'] }],
    [{ missing: ['x', 'y.z', 'nope'] }],
    [{ missing: [''] }],
    [{ missing: [['x', 'y.z']] }],
    [{ missing: ['list.0', 'list.1', 'list.5'] }],
    [{ '!': { missing: ['x', 'y.z'] } }],
    [{ '!!': { missing: ['x'] } }],
    [{ if: [{ missing: ['x'] }, 'missing', 'present'] }],
    [{ missing_some: [1, ['x', 'y.z']] }],
    [{ missing_some: [2, ['x', 'y.z', 'nope']] }],
    [{ missing_some: [0, ['x']] }],
    [{ missing_some: [{ var: 'list.1' }, ['x', 'y.z']] }],
    [{ missing_some: [1, ['']] }],
    [{ '!': { missing_some: [1, ['x', 'nope']] } }],
    [{ and: [{ missing_some: [1, ['x', 'nope']] }, 'then'] }],
    [{ or: [{ missing_some: [2, ['x', 'nope']] }, 'else'] }],
  ])('%j', (rule) => agrees(rule));

  it('a key whose value is "" or null is missing, 0 and false are not', () => {
    const rule = compileRule({ missing: ['a', 'b', 'c', 'd', 'e'] });
    expect(rule({ a: '', b: null, c: 0, d: false })).toEqual(['a', 'b', 'e']);
  });

  it('missing_some returns a fresh list or a fresh [] on each evaluation', () => {
    const rule = compileRule({ missing_some: [2, ['a', 'b']] });
    const first = rule({ a: 1 }) as unknown[];
    first.push('changed');
    expect(rule({ a: 1 })).toEqual(['b']);
    const none = rule({ a: 1, b: 2 }) as unknown[];
    none.push('changed');
    expect(rule({ a: 1, b: 2 })).toEqual([]);
  });
});

describe('comparisons and membership of the whole data ({"var": ""}) against a constant', () => {
  for (const op of ['==', '===', '!=', '!==']) {
    it.each(CONSTANTS.map((c) => [c]))(`${op} against %j`, (c) => {
      agrees({ [op]: [{ var: '' }, c] });
      agrees({ [op]: [c, { var: '' }] });
      agrees({ some: [{ var: 'list' }, { [op]: [{ var: '' }, c] }] });
      agrees({ filter: [{ var: 'x' }, { [op]: [{ var: '' }, c] }] });
    });
  }

  it.each([
    [[1, 2]],
    [['1', 'a']],
    [[1, '1', null]],
    [[0, '', false]],
    [[null]],
    [[]],
    [[[1], 'a']],
  ])('in a constant list %j uses strict membership ("1" is not 1)', (list) => {
    agrees({ in: [{ var: '' }, list] });
    agrees({ all: [{ var: 'list' }, { in: [{ var: '' }, list] }] });
    agrees({ filter: [{ var: 'x' }, { in: [{ var: '' }, list] }] });
  });

  it('NaN is never in a list, even one holding NaN through the data', () => {
    const rule = compileRule({ filter: [{ var: 'xs' }, { in: [{ var: '' }, [1, 'x']] }] });
    expect(rule({ xs: [NaN, 1, '1', 'x'] })).toEqual([1, 'x']);
    expect(compileRule({ in: [{ var: '' }, [1]] })(NaN)).toBe(false);
  });
});

describe('if with constant branches', () => {
  it.each([
    [{ if: [{ var: 'x' }, 'a', 'b'] }],
    [{ if: [{ var: 'x' }, 'a', { var: 'y.z' }] }],
    [{ if: [{ var: 'x' }, { var: 'y.z' }, null] }],
    [{ if: [{ var: 'x' }, 'a', { '==': [{ var: 'x' }, 1] }, 'c', true] }],
    [{ if: [{ var: 'x' }, 'a', { var: 'y.z' }, 'c'] }],
    [{ if: [{ var: 'x' }, 0, ''] }],
    [{ '?:': [{ var: 'x' }, [1, 2], []] }],
    [{ if: [{ missing: ['x'] }, 'no x', 'x'] }],
    [{ '!': { if: [{ var: 'x' }, 'a', null] } }],
    [{ and: [{ if: [{ var: 'x' }, [], 'b'] }, 'c'] }],
  ])('%j', (rule) => agrees(rule));

  it('returns a fresh copy of a constant array branch on each evaluation', () => {
    const rule = compileRule({ if: [{ var: 'x' }, [1, [2]], ['no']] });
    const first = rule({ x: true }) as unknown[];
    first.push(99);
    (first[1] as unknown[]).push(99);
    expect(rule({ x: true })).toEqual([1, [2]]);
    const other = rule({ x: false }) as unknown[];
    other.push(99);
    expect(rule({ x: false })).toEqual(['no']);
  });
});

describe('in a long constant list (a Set above 16 items)', () => {
  const long = [...Array.from({ length: 20 }, (_, i) => i), '1', 'a', '', null, false, [1]];
  it.each([[{ in: [{ var: '' }, long] }], [{ in: [{ var: 'x' }, long] }], [{ some: [{ var: 'list' }, { in: [{ var: '' }, long] }] }]])('%j agrees with indexOf', (rule) =>
    agrees(rule),
  );

  it('tells "1" from 1, -0 is 0, and NaN is not found', () => {
    const rule = compileRule({ in: [{ var: '' }, long] });
    expect([1, '1', -0, '0', 19, '19', 20, null, undefined, false, 0, NaN].map((x) => rule(x))).toEqual([
      true, true, true, false, true, false, false, true, false, true, true, false,
    ]);
  });

  it('a list holding NaN (a folded value) still never finds NaN, as indexOf', () => {
    const withNaN = [...Array.from({ length: 20 }, (_, i) => i), { '/': [0, 0] }];
    const rule = compileRule({ in: [{ var: '' }, withNaN] });
    expect(rule(NaN)).toBe(false);
    expect(rule(3)).toBe(true);
  });
});

describe('var reads of three-key paths (context.*.*, profile.traits.*, profile.counters.* have closures of their own)', () => {
  const PROFILES: unknown[] = [
    { context: { device: { type: 'mobile' }, page: ['p0', 'p1'], campaign: null }, profile: { traits: { plan: 'pro', 0: 'zero', '': 'empty' }, counters: { page_view: 0, 1: 'one' }, other: { x: 1 } } },
    { context: { device: 'desktop' }, profile: { traits: ['t0', 't1'], counters: [3, 4] } },
    { context: [], profile: { traits: null, counters: undefined } },
    { context: null, profile: 'text' },
    { context: { device: { type: null } }, profile: { traits: { plan: '' }, counters: { page_view: NaN } } },
    { profile: { traits: Object.create({ plan: 'inherited' }) as object, counters: { constructor: 7 } } },
    [{ context: 1 }],
    'context',
    null,
    undefined,
  ];
  const PATHS = ['context.device.type', 'context.page.1', 'context.page.length', 'context.campaign.source', 'profile.traits.plan', 'profile.traits.0',
    'profile.traits.1', 'profile.counters.page_view', 'profile.counters.1',
    'profile.other.x', 'profile.traits.', 'other.traits.plan'];

  it.each(PATHS.map((path) => [path]))('%s agrees with json-logic-js, with and without a default', (path) => {
    for (const rule of [{ var: path }, { var: [path, 'fallback'] }, { '==': [{ var: path }, null] }, { '!': { var: path } }, { missing: [path] }]) {
      const compiled = compileRule(rule);
      for (const data of PROFILES) expect(compiled(data), JSON.stringify({ rule, data }) ?? '').toStrictEqual(jsonLogic.apply(rule as never, data as never));
    }
  });

  it('reads a key named like a built-in member only as an own property (never Object)', () => {
    const rule = compileRule({ var: ['profile.traits.constructor', 'none'] });
    expect(rule({ profile: { traits: {} } })).toBe('none');
    expect(rule({ profile: { traits: { constructor: 'own' } } })).toBe('own');
    expect(compileRule({ var: 'profile.counters.constructor' })({ profile: { counters: { constructor: 7 } } })).toBe(7);
  });
});
