import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile-rule.js';

const run = (rule: unknown, data?: unknown): unknown => compileRule(rule)(data);

/** Cases as [sentence, rule, data, expected]: one behaviour each. */
type Case = [string, unknown, unknown, unknown];
const check = (cases: Case[]) =>
  it.each(cases)('%s', (_name, rule, data, expected) => {
    expect(run(rule, data)).toEqual(expected);
  });

describe('if and ?:', () => {
  check([
    ['if with no arguments is null', { if: [] }, null, null],
    ['if with one argument returns it', { if: ['apple'] }, null, 'apple'],
    ['if with a true condition returns the then value', { if: [true, 'apple', 'banana'] }, null, 'apple'],
    ['if with a false condition returns the else value', { if: [false, 'apple', 'banana'] }, null, 'banana'],
    ['if without an else returns null when the condition is false', { if: [false, 'apple'] }, null, null],
    ['if treats an empty array as false', { if: [[], 'apple', 'banana'] }, null, 'banana'],
    ['if treats a non-empty array as true', { if: [[1], 'apple', 'banana'] }, null, 'apple'],
    ['if treats "0" as true', { if: ['0', 'apple', 'banana'] }, null, 'apple'],
    ['if treats the empty string as false', { if: ['', 'apple', 'banana'] }, null, 'banana'],
    ['if treats zero as false', { if: [0, 'apple', 'banana'] }, null, 'banana'],
    ['if evaluates a condition that is a rule', { if: [{ '>': [{ var: 'n' }, 1] }, 'big', 'small'] }, { n: 2 }, 'big'],
    ['if evaluates only the chosen consequent', { if: [true, { cat: ['ap', 'ple'] }, { cat: ['ba', 'na'] }] }, null, 'apple'],
    ['if takes the first true elseif', { if: [false, 'a', true, 'b', true, 'c', 'd'] }, null, 'b'],
    ['if falls through every false elseif to the else', { if: [false, 'a', false, 'b', false, 'c', 'd'] }, null, 'd'],
    ['if with an even argument count and no true condition is null', { if: [false, 'a', false, 'b'] }, null, null],
    ['if with an even argument count returns the matching elseif', { if: [false, 'a', true, 'b'] }, null, 'b'],
    ['if decides elseifs from the data', { if: [{ var: 'x' }, 'x', { var: 'y' }, 'y', 'none'] }, { y: 1 }, 'y'],
    ['?: is a ternary', { '?:': [{ '>': [3, 1] }, 'visible', 'hidden'] }, {}, 'visible'],
    ['?: chains like if', { '?:': [false, 1, false, 2, 3] }, {}, 3],
  ]);
});

describe('and / or', () => {
  check([
    ['and returns the first falsy value', { and: [1, 0, 2] }, null, 0],
    ['and returns the last value when all are truthy', { and: [1, 3] }, null, 3],
    ['and returns an empty array as the falsy value', { and: [[], true] }, null, []],
    ['and with one argument returns it', { and: ['x'] }, null, 'x'],
    ['and with no arguments is undefined, as in json-logic-js', { and: [] }, null, undefined],
    ['or returns the first truthy value', { or: [0, '', 'x', 'y'] }, null, 'x'],
    ['or returns the last value when all are falsy', { or: [false, 0] }, null, 0],
    ['or treats "0" as truthy', { or: ['0', true] }, null, '0'],
    ['or treats an empty array as falsy', { or: [[], true] }, null, true],
    ['or with no arguments is undefined, as in json-logic-js', { or: [] }, null, undefined],
    ['and reads its values from the data', { and: [{ var: 'a' }, { var: 'b' }] }, { a: 'yes', b: 'also' }, 'also'],
    ['or reads its values from the data', { or: [{ var: 'a' }, { var: 'b' }] }, { a: null, b: 'b' }, 'b'],
  ]);

  it('and short-circuits without evaluating later arguments', () => {
    let calls = 0;
    const rule = compileRule({ and: [{ var: 'a' }, { spy: [] }] }, { operators: { spy: () => ++calls } });
    rule({ a: false });
    expect(calls).toBe(0);
  });

  it('or short-circuits without evaluating later arguments', () => {
    let calls = 0;
    const rule = compileRule({ or: [{ var: 'a' }, { spy: [] }] }, { operators: { spy: () => ++calls } });
    rule({ a: true });
    expect(calls).toBe(0);
  });
});

describe('! and !!', () => {
  check([
    ['! negates true', { '!': [true] }, null, false],
    ['! accepts a single argument without the array', { '!': false }, null, true],
    ['! treats an empty array as false', { '!': [[]] }, null, true],
    ['! treats "0" as true', { '!': ['0'] }, null, false],
    ['! of a missing value is true', { '!': { var: 'x' } }, {}, true],
    ['!! casts to a boolean', { '!!': ['0'] }, null, true],
    ['!! treats an empty array as false', { '!!': [[]] }, null, false],
    ['!! treats zero as false', { '!!': [0] }, null, false],
    ['!! reads the data', { '!!': { var: 'a' } }, { a: 'x' }, true],
  ]);
});

describe('equality', () => {
  check([
    ['== compares loosely across number and string', { '==': [1, '1'] }, null, true],
    ['== treats null and undefined as equal', { '==': [null, { var: '' }] }, undefined, true],
    ['== compares 0 and false as equal', { '==': [0, false] }, null, true],
    ['== compares "" and 0 as equal', { '==': ['', 0] }, null, true],
    ['== compares null and 0 as different', { '==': [null, 0] }, null, false],
    ['== compares a one-element array to its element', { '==': [[1], 1] }, null, true],
    ['=== compares strictly', { '===': [1, '1'] }, null, false],
    ['=== matches identical values', { '===': [{ var: 'a' }, 'x'] }, { a: 'x' }, true],
    ['!= is loose inequality', { '!=': [1, '1'] }, null, false],
    ['!= finds different values', { '!=': [{ var: 'a' }, 2] }, { a: 1 }, true],
    ['!== is strict inequality', { '!==': [1, '1'] }, null, true],
    ['!== finds identical values equal', { '!==': [1, 1] }, null, false],
    ['=== casts with unary + first', { '===': [0, { '+': '0' }] }, null, true],
  ]);
});

describe('comparisons', () => {
  check([
    ['> compares numbers', { '>': [2, 1] }, null, true],
    ['> coerces a numeric string', { '>': ['2', 1] }, null, true],
    ['> is false for equal values', { '>': [1, 1] }, null, false],
    ['>= is true for equal values', { '>=': [1, 1] }, null, true],
    ['>= coerces a numeric string', { '>=': ['2', 1] }, null, true],
    ['< compares numbers', { '<': [1, 2] }, null, true],
    ['< compares strings lexically', { '<': ['a', 'b'] }, null, true],
    ['<= is true for equal values', { '<=': [1, 1] }, null, true],
    ['< with three arguments tests strictly between', { '<': [1, 2, 3] }, null, true],
    ['< between excludes the lower bound', { '<': [1, 1, 3] }, null, false],
    ['< between excludes the upper bound', { '<': [1, 3, 3] }, null, false],
    ['< between is false outside the range', { '<': [1, 4, 3] }, null, false],
    ['<= with three arguments tests inclusively between', { '<=': [1, 1, 3] }, null, true],
    ['<= between includes the upper bound', { '<=': [1, 3, 3] }, null, true],
    ['<= between is false outside the range', { '<=': [1, 4, 3] }, null, false],
    ['< between reads the middle value from the data', { '<': [0, { var: 'n' }, 10] }, { n: 5 }, true],
    ['< between with a null upper bound compares against null', { '<': [1, 2, { var: 'x' }] }, {}, false],
    ['> with a null side compares against zero', { '>': [1, { var: 'x' }] }, {}, true],
    ['> is false against a non-numeric string', { '>': ['abc', 1] }, null, false],
  ]);
});

describe('arithmetic', () => {
  check([
    ['+ adds numbers', { '+': [1, 2] }, null, 3],
    ['+ adds many numbers', { '+': [2, 2, 2, 2] }, null, 8],
    ['+ parses numeric strings', { '+': ['1', 1] }, null, 2],
    ['+ parses the leading number of a string like parseFloat', { '+': ['3.5px', 1] }, null, 4.5],
    ['+ with one argument casts to a number', { '+': '3.14' }, null, 3.14],
    ['+ with no arguments is zero', { '+': [] }, null, 0],
    ['+ of a non-numeric string is NaN', { '+': ['abc'] }, null, NaN],
    ['+ of null is NaN (parseFloat)', { '+': [null, 1] }, null, NaN],
    ['- subtracts', { '-': [3, 2] }, null, 1],
    ['- with one argument negates', { '-': [3] }, null, -3],
    ['- coerces numeric strings', { '-': ['1', 1] }, null, 0],
    ['* multiplies', { '*': [3, 2] }, null, 6],
    ['* multiplies many numbers', { '*': [2, 2, 2] }, null, 8],
    ['* parses numeric strings', { '*': ['1.5', 2] }, null, 3],
    ['* with one argument returns it unchanged', { '*': ['2'] }, null, '2'],
    ['/ divides', { '/': [2, 4] }, null, 0.5],
    ['/ by zero is Infinity', { '/': [1, 0] }, null, Infinity],
    ['% is the remainder', { '%': [3, 2] }, null, 1],
    ['max picks the largest', { max: [1, 3, 2] }, null, 3],
    ['max of one value is that value', { max: [1] }, null, 1],
    ['max of nothing is -Infinity', { max: [] }, null, -Infinity],
    ['min picks the smallest', { min: [3, 1, 2] }, null, 1],
    ['min of nothing is Infinity', { min: [] }, null, Infinity],
    ['max coerces numeric strings', { max: ['10', 9] }, null, 10],
    ['arithmetic reads the data', { '*': [{ var: 'price' }, { '+': [1, { var: 'tax' }] }] }, { price: 10, tax: 0.5 }, 15],
  ]);

  it('* of negative zero gives 0 as parseFloat does', () => {
    expect(Object.is(run({ '*': [{ '-': [0] }, 5] }), 0)).toBe(true);
  });
});

describe('strings', () => {
  check([
    ['cat joins strings', { cat: ['ice', 'cream'] }, null, 'icecream'],
    ['cat accepts a single argument without the array', { cat: 'ice' }, null, 'ice'],
    ['cat stringifies numbers', { cat: ['Robocop', 2] }, null, 'Robocop2'],
    ['cat turns null into the empty string', { cat: ['a', null, 'b'] }, null, 'ab'],
    ['cat joins arrays with commas', { cat: [[1, 2], '!'] }, null, '1,2!'],
    ['cat of nothing is the empty string', { cat: [] }, null, ''],
    ['cat reads the data', { cat: ['Hi ', { var: 'name' }, '!'] }, { name: 'Ann' }, 'Hi Ann!'],
    ['substr from a positive start', { substr: ['jsonlogic', 4] }, null, 'logic'],
    ['substr from a negative start counts from the end', { substr: ['jsonlogic', -5] }, null, 'logic'],
    ['substr takes a length', { substr: ['jsonlogic', 0, 1] }, null, 'j'],
    ['substr takes a length after a negative start', { substr: ['jsonlogic', -1, 1] }, null, 'c'],
    ['substr with a negative length drops characters from the end', { substr: ['jsonlogic', 1, -5] }, null, 'son'],
    ['substr with negative start and length', { substr: ['jsonlogic', -5, -2] }, null, 'log'],
    ['substr stringifies a number source', { substr: [12345, 1, 2] }, null, '23'],
    ['in finds a substring', { in: ['Spring', 'Springfield'] }, null, true],
    ['in misses an absent substring', { in: ['i', 'team'] }, null, false],
    ['in finds an array member', { in: ['Bart', ['Bart', 'Homer', 'Lisa']] }, null, true],
    ['in misses an absent array member', { in: ['Milhouse', ['Bart', 'Homer']] }, null, false],
    ['in uses strict equality for arrays', { in: ['1', [1, 2]] }, null, false],
    ['in is false for a null haystack', { in: ['a', { var: 'x' }] }, {}, false],
    ['in is false for an empty string haystack', { in: ['', ''] }, null, false],
    ['in is false for a number haystack', { in: [1, 123] }, null, false],
    ['in reads the needle from the data', { in: [{ var: 'filling' }, ['apple', 'cherry']] }, { filling: 'apple' }, true],
    ['in reads a haystack array from the data', { in: ['vip', { var: 'tags' }] }, { tags: ['new', 'vip'] }, true],
    ['in reads a haystack string from the data', { in: ['/shop', { var: 'url' }] }, { url: 'https://x.test/shop/a' }, true],
    [
      'in checks a long literal list',
      { in: [{ var: 'c' }, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'FR']] },
      { c: 'FR' },
      true,
    ],
    [
      'in with a long literal list still uses strict equality',
      { in: [{ var: 'c' }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]] },
      { c: '17' },
      false,
    ],
  ]);
});

describe('merge', () => {
  check([
    ['merge of nothing is an empty array', { merge: [] }, null, []],
    ['merge flattens arrays one level', { merge: [[1, 2], [3]] }, null, [1, 2, 3]],
    ['merge appends non-array values', { merge: [1, [2]] }, null, [1, 2]],
    ['merge accepts a single value without the array', { merge: 1 }, null, [1]],
    ['merge keeps nested arrays', { merge: [[[1]], [2]] }, null, [[1], 2]],
    ['merge reads arrays from the data', { merge: [{ var: 'a' }, { var: 'b' }] }, { a: [1], b: [2, 3] }, [1, 2, 3]],
  ]);
});

describe('map, filter and reduce', () => {
  const integers = { integers: [1, 2, 3] };
  check([
    ['map applies the rule to each element', { map: [{ var: 'integers' }, { '*': [{ var: '' }, 2] }] }, integers, [2, 4, 6]],
    ['map over a non-array is an empty array', { map: [{ var: 'integers' }, { var: '' }] }, null, []],
    ['map scopes var to the element', { map: [{ var: 'desserts' }, { var: 'qty' }] }, { desserts: [{ qty: 1 }, { qty: 2 }] }, [1, 2]],
    ['map over a literal array', { map: [[1, 2], { '+': [{ var: '' }, 1] }] }, null, [2, 3]],
    ['filter keeps elements the rule accepts', { filter: [{ var: 'integers' }, { '>=': [{ var: '' }, 2] }] }, integers, [2, 3]],
    ['filter uses JSON Logic truthiness', { filter: [{ var: 'integers' }, { '%': [{ var: '' }, 2] }] }, integers, [1, 3]],
    ['filter with a true rule keeps everything', { filter: [{ var: 'integers' }, true] }, integers, [1, 2, 3]],
    ['filter over a non-array is an empty array', { filter: [{ var: 'x' }, true] }, {}, []],
    [
      'reduce folds with current and accumulator',
      { reduce: [{ var: 'integers' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
      integers,
      6,
    ],
    [
      'reduce over a non-array returns the initial value',
      { reduce: [{ var: 'x' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
      null,
      0,
    ],
    ['reduce without an initial value starts from null', { reduce: [{ var: 'x' }, { var: 'accumulator' }] }, {}, null],
    [
      'reduce reads fields of the current element',
      { reduce: [{ var: 'items' }, { '+': [{ var: 'accumulator' }, { var: 'current.qty' }] }, 0] },
      { items: [{ qty: 1 }, { qty: 2 }, { qty: 3 }] },
      6,
    ],
    [
      'reduce evaluates its initial value against the outer data',
      { reduce: [[1, 2], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, { var: 'start' }] },
      { start: 10 },
      13,
    ],
    [
      'map nests inside map with each level scoped to its element',
      { map: [{ var: 'rows' }, { map: [{ var: 'cells' }, { '*': [{ var: '' }, 10] }] }] },
      { rows: [{ cells: [1, 2] }, { cells: [3] }] },
      [[10, 20], [30]],
    ],
  ]);
});

describe('all, some and none', () => {
  const items = { items: [{ qty: 1, sku: 'apple' }, { qty: 2, sku: 'banana' }] };
  check([
    ['all is true when every element passes', { all: [{ var: 'items' }, { '>=': [{ var: 'qty' }, 1] }] }, items, true],
    ['all is false when one element fails', { all: [{ var: 'items' }, { '>': [{ var: 'qty' }, 1] }] }, items, false],
    ['all of an empty array is false', { all: [{ var: 'items' }, true] }, { items: [] }, false],
    ['all of a non-array is false', { all: [{ var: 'items' }, true] }, {}, false],
    ['some is true when one element passes', { some: [{ var: 'items' }, { '==': [{ var: 'sku' }, 'banana'] }] }, items, true],
    ['some is false when no element passes', { some: [{ var: 'items' }, { '>': [{ var: 'qty' }, 5] }] }, items, false],
    ['some of an empty array is false', { some: [[], true] }, null, false],
    ['some uses JSON Logic truthiness', { some: [[[], 0, ''], { var: '' }] }, null, false],
    ['none is true when no element passes', { none: [{ var: 'items' }, { '>': [{ var: 'qty' }, 5] }] }, items, true],
    ['none is false when one element passes', { none: [{ var: 'items' }, { '==': [{ var: 'qty' }, 2] }] }, items, false],
    ['none of an empty array is true', { none: [[], true] }, null, true],
    ['none of a non-array is true', { none: [{ var: 'x' }, true] }, {}, true],
    [
      'some nests inside all with each level scoped to its element',
      { all: [{ var: 'orders' }, { some: [{ var: 'lines' }, { '>': [{ var: 'qty' }, 1] }] }] },
      { orders: [{ lines: [{ qty: 2 }] }, { lines: [{ qty: 1 }, { qty: 3 }] }] },
      true,
    ],
    [
      'none inside filter sees the filtered element',
      { filter: [{ var: 'users' }, { none: [{ var: 'roles' }, { '==': [{ var: '' }, 'admin'] }] }] },
      { users: [{ roles: ['admin'] }, { roles: ['user'] }] },
      [{ roles: ['user'] }],
    ],
  ]);
});
