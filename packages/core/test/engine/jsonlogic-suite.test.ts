import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/engine/compile-rule.js';

// Cases from the JSON Logic reference test suite (https://jsonlogic.com/tests.json, the suite
// json-logic-js runs), chosen for the edge cases: non-rules passed through, between comparisons,
// truthiness of [] / "0", var with null / [] / a computed path, missing and missing_some,
// merge of non-arrays, substr with negative arguments, map / filter / reduce / all / none / some
// on missing or empty data. Each is [rule, data, expected].
const cases: Array<[unknown, unknown, unknown]> = [
  [true, {}, true], [17, {}, 17], ['apple', {}, 'apple'], [null, {}, null], [['a', 'b'], {}, ['a', 'b']],
  [{ '<': [1, 2, 3] }, {}, true], [{ '<': [1, 1, 3] }, {}, false], [{ '<=': [1, 4, 3] }, {}, false],
  [{ '!': [false] }, {}, true], [{ or: [1, 3] }, {}, 1], [{ and: [1, 3] }, {}, 3],
  [{ in: ['Spring', 'Springfield'] }, {}, true], [{ cat: 'ice' }, {}, 'ice'], [{ cat: [1, 2] }, {}, '12'],
  [{ max: [1] }, {}, 1], [{ '+': [1] }, {}, 1], [{ '*': ['1', 1] }, {}, 1], [{ '-': [3] }, {}, -3], [{ '/': ['1', 1] }, {}, 1],
  [{ substr: ['jsonlogic', -5, -2] }, null, 'log'], [{ substr: ['jsonlogic', 1, -5] }, null, 'son'], [{ substr: ['jsonlogic', -1, 1] }, null, 'c'],
  [{ merge: 1 }, null, [1]], [{ merge: [1, [2]] }, null, [1, 2]],
  [{ if: [] }, null, null], [{ if: [true] }, null, true], [{ if: [false] }, null, false], [{ if: ['apple'] }, null, 'apple'],
  [{ '===': [0, { '+': '0' }] }, null, true], [{ and: [[], true] }, {}, []], [{ or: ['0', true] }, {}, '0'],
  [[1, { var: 'x' }, 3], { x: 2 }, [1, 2, 3]], [{ if: [{ var: 'x' }, [{ var: 'y' }], 99] }, { x: true, y: 42 }, [42]],
  [{ var: ['a', 1] }, null, 1], [{ var: 1 }, ['apple', 'banana'], 'banana'], [{ var: '1.1' }, ['apple', ['banana', 'beer']], 'beer'],
  [{ var: [{ '?:': [{ '<': [{ var: 'temp' }, 110] }, 'pie.filling', 'pie.eta'] }] }, { temp: 100, pie: { filling: 'apple', eta: '60s' } }, 'apple'],
  [{ var: 'a.b.c' }, { a: { b: null } }, null], [{ var: '' }, 1, 1], [{ var: null }, 1, 1], [{ var: [] }, 1, 1],
  [{ missing: 'a' }, null, ['a']], [{ missing: ['a.b', 'a.c'] }, { a: { b: 'apple brownie' } }, ['a.c']],
  [{ missing_some: [2, ['a', 'b', 'c']] }, { a: 'apple', d: 'durian' }, ['b', 'c']],
  [{ missing: { merge: ['vin', { if: [{ var: 'financing' }, ['apr'], []] }] } }, { financing: true }, ['vin', 'apr']],
  [{ filter: [{ var: 'integers' }, true] }, { integers: [1, 2, 3] }, [1, 2, 3]], [{ filter: [{ var: 'integers' }, { '%': [{ var: '' }, 2] }] }, { integers: [1, 2, 3] }, [1, 3]],
  [{ map: [{ var: 'integers' }, { '*': [{ var: '' }, 2] }] }, null, []],
  [{ reduce: [{ var: 'integers' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, { var: 'start_with' }] }, { integers: [1, 2, 3, 4], start_with: 59 }, 69],
  [{ reduce: [{ var: 'integers' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] }, null, 0],
  [{ reduce: [{ var: 'desserts' }, { '+': [{ var: 'accumulator' }, { var: 'current.qty' }] }, 0] }, { desserts: [{ qty: 1 }, { qty: 2 }, { qty: 3 }] }, 6],
  [{ all: [{ var: 'integers' }, { '<': [{ var: '' }, 1] }] }, { integers: [] }, false], [{ none: [{ var: 'items' }, { '>=': [{ var: 'qty' }, 1] }] }, { items: [] }, true],
  [{ some: [{ var: 'items' }, { '>': [{ var: 'qty' }, 1] }] }, { items: [{ qty: 1 }, { qty: 2 }] }, true],
];

describe('the JSON Logic reference suite', () => {
  it.each(cases.map(([rule, data, expected]) => [JSON.stringify(rule), data, expected, rule] as const))('%s', (_name, data, expected, rule) => {
    expect(compileRule(rule)(data)).toEqual(expected);
  });
});
