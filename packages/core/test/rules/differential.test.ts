import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile-rule.js';
import { prng } from '../../../../bench/prng.mjs';

// No key of this data or path names an inherited member (String.prototype.big...): json-logic-js
// reads those too, by accident of its code; Attune's `var` reads own properties only (issue 15).
const DATA: unknown[] = [
  {
    a: 1, b: 2, n: 5, s: 'abc', z: 0, e: '', t: true, f: false, nil: null, num: '42', zero: '0', px: '3.5px',
    arr: [1, 2, 3], strs: ['a', 'b', 'abc'], empty: [], mixed: [0, '', null, 'x', [], [1], '0'],
    obj: { x: 1, y: { z: 'deep' } }, items: [{ x: 1, qty: 2, s: 'a' }, { x: 3, qty: 0, s: 'abc' }],
    nested: { list: [[1, 2], [3]] }, neg: -0, huge: 1e21, path: 'obj.y.z',
  },
  { a: '1', b: '2', n: -3, s: '', z: '0', e: 'e', t: 'true', f: 0, num: 42, zero: 0, arr: [], strs: [], empty: [0], obj: null, items: [] },
  { a: [1], b: [1], n: 2.5, s: 'ABC abc', t: [], f: [], arr: ['1', 2, '3'], strs: ['abc'], items: [{ x: '2', qty: '3' }], obj: { x: 0 } },
  { a: null, b: undefined, n: NaN, s: 'a.b', arr: [null, null], items: [{}, { qty: null }], obj: { y: { z: 0 } } },
  {},
  null,
  undefined,
  7,
  'hello',
  [1, 'a', null, [2]],
  { a: { b: { c: 'x' } }, b: 0, n: 100, s: '100', arr: [100, 200], strs: ['100'], items: [{ x: 100, qty: 1, s: '100' }] },
];

const PATHS = ['a', 'b', 'n', 's', 'z', 'e', 't', 'f', 'nil', 'num', 'zero', 'px', 'obj.x', 'obj.y.z', 'arr.0', 'arr.2',
  'strs.1', 'items.0.qty', 'nested.list.0', 'missing', 'a.b.c', '', 'neg', 'huge', 'empty'];
const ARRAY_PATHS = ['arr', 'strs', 'empty', 'mixed', 'items', 'nested.list', 'a', 'missing'];
const ELEMENT_PATHS = ['', 'x', 'qty', 's', '0', 'missing'];
const LITERALS: unknown[] = [0, 1, -1, 2, 3.5, 100, '0', '1', '', 'abc', 'a', '3px', '100', null, true, false, [], [1, 2], ['a', 'abc']];
const OPERATORS = ['==', '===', '!=', '!==', '>', '>=', '<', '<=', '!', '!!', 'and', 'or', 'if', '?:', '+', '-', '*', '/', '%',
  'max', 'min', 'cat', 'substr', 'in', 'merge', 'map', 'filter', 'reduce', 'all', 'some', 'none', 'missing', 'missing_some', 'var'];

function generator(seed: number) {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

  function leaf(paths: readonly string[]): unknown {
    const r = random();
    if (r < 0.45) return pick(LITERALS);
    if (r < 0.9) return { var: pick(paths) };
    return { var: [pick(paths), pick(LITERALS)] };
  }

  function scoped(op: string, depth: number): unknown {
    const source = random() < 0.8 ? { var: pick(ARRAY_PATHS) } : pick([[1, 2, 3], ['a', '', 'b'], [], [[1], []]]);
    if (op === 'reduce') {
      const logic = rule(depth - 1, ['current', 'accumulator', 'current.x', 'current.qty']);
      return random() < 0.8 ? { reduce: [source, logic, pick([0, 1, '', null])] } : { reduce: [source, logic] };
    }
    return { [op]: [source, rule(depth - 1, ELEMENT_PATHS)] };
  }

  function rule(depth: number, paths: readonly string[] = PATHS): unknown {
    if (depth <= 0 || random() < 0.2) return leaf(paths);
    const op = pick(OPERATORS);
    const sub = (): unknown => rule(depth - 1, paths);
    switch (op) {
      case 'map': case 'filter': case 'reduce': case 'all': case 'some': case 'none':
        return scoped(op, depth);
      case 'missing':
        return random() < 0.7
          ? { missing: Array.from({ length: int(0, 3) }, () => pick(PATHS)) }
          : { missing: { merge: [pick(PATHS), { if: [sub(), [pick(PATHS)], []] }] } };
      case 'missing_some':
        return { missing_some: [int(0, 3), Array.from({ length: int(1, 4) }, () => pick(PATHS))] };
      case 'var':
        return { var: [{ cat: [pick(['obj', 'arr', 'items', 's', 'a'] as const), pick(['', '.x', '.0', '.y.z', '.length'])] }, sub()] };
      case '!': case '!!':
        return random() < 0.5 ? { [op]: sub() } : { [op]: [sub()] };
      case '<': case '<=':
        return { [op]: Array.from({ length: int(2, 3) }, sub) };
      case 'substr':
        return { substr: [sub(), pick([0, 1, -1, -3, 2, '1']), ...(random() < 0.6 ? [pick([1, 2, -1, -2, 0, '2'])] : [])] };
      case 'in':
        return { in: [sub(), random() < 0.5 ? sub() : pick([['a', 'abc', 1], 'abcdef', { var: 'strs' }, { var: 's' }])] };
      case 'if': case '?:':
        return { [op]: Array.from({ length: int(0, 6) }, sub) };
      case 'and': case 'or': case 'max': case 'min': case 'cat': case 'merge': case '+':
        return { [op]: Array.from({ length: int(0, 4) }, sub) };
      case '*':
        return { '*': Array.from({ length: int(1, 4) }, sub) };
      case '-':
        return { '-': Array.from({ length: int(1, 2) }, sub) };
      default:
        return { [op]: [sub(), sub()] };
    }
  }
  return rule;
}

const HAND_WRITTEN: unknown[] = [
  { and: [{ '<': [{ var: 'n' }, 110] }, { '==': [{ var: 'obj.y.z' }, 'deep'] }] },
  { var: [{ '?:': [{ '<': [{ var: 'n' }, 3] }, 'obj.x', 'obj.y'] }] },
  { var: { var: 'path' } },
  { missing: { merge: ['a', { if: [{ var: 't' }, ['b', 'obj.x'], []] }] } },
  { missing_some: [2, ['a', 'b', 'missing', 'obj.x']] },
  { missing: [''] },
  { missing: [['a', 'missing']] },
  { '+': [{ var: 'neg' }] },
  { '*': [{ '-': [{ var: 'z' }] }, 5, 2] },
  { '+': ['-0', '-0'] },
  { '*': [{ var: 'px' }, { var: 'num' }] },
  { '+': [{ var: 'huge' }, 1] },
  { '-': [{ var: 'a' }, { and: [] }] },
  { '<': [1, { var: 'n' }, { var: '' }] },
  { '<=': [0, { var: 'n' }, 10] },
  { in: [{ var: 'a' }, { var: 'arr' }] },
  { in: [{ var: 's' }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 'abc', '', 0]] },
  { in: [{ var: 'n' }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 2.5]] },
  { cat: [{ var: 'arr' }, { var: 'nil' }, { var: 'obj.y' }, { var: 't' }] },
  { substr: [{ var: 's' }, { var: 'b' }, { var: 'n' }] },
  { reduce: [{ var: 'items' }, { '+': [{ var: 'accumulator' }, { var: 'current.qty' }] }, 0] },
  { reduce: [{ var: 'arr' }, { var: '' }] },
  { map: [{ var: 'nested.list' }, { map: [{ var: '' }, { '*': [{ var: '' }, 2] }] }] },
  { filter: [{ var: 'mixed' }, { var: '' }] },
  { all: [{ var: 'items' }, { some: [[1, 2, 3], { '==': [{ var: '' }, 3] }] }] },
  { none: [{ var: 'mixed' }, { '===': [{ var: '' }, 'x'] }] },
  { if: [{ var: 'empty' }, 'yes', { var: 'mixed' }, 'mixed', 'no'] },
  { or: [{ var: 'empty' }, { var: 'e' }, { var: 'z' }] },
  { and: [{ var: 'arr' }, { var: 'strs' }, { var: 'obj' }] },
  { '==': [{ var: 'a' }, { var: 'b' }] },
  { '!=': [{ var: 'zero' }, { var: 'f' }] },
  { max: [{ var: 'arr' }, { var: 'num' }, { var: 'nil' }] },
  { min: [{ var: 'a' }] },
  { merge: [{ var: 'arr' }, { var: 'nested.list' }, { var: 'nil' }] },
  { var: ['missing', [1, [2]]] },
  { if: [true, [1, [2]], 0] },
  [{ var: 'a' }, [{ var: 'b' }, 3], 'x'],
  { '/': [{ var: 'n' }, { var: 'z' }] },
  { '%': [{ var: 'n' }, 2] },
  { '!': [{ var: 'empty' }] },
  { '!!': { var: 'mixed.4' } },
  { some: [{ var: 'strs' }, { in: ['b', { var: '' }] }] },
  { var: 's.length' },
  { var: 'arr.length' },
];

function expectSameResults(rules: readonly unknown[]): void {
  for (const rule of rules) {
    const compiled = compileRule(rule);
    for (const data of DATA) {
      const label = `${JSON.stringify(rule)} on ${JSON.stringify(data)}`;
      expect(compiled(data), label).toStrictEqual(jsonLogic.apply(rule, data));
    }
  }
}

describe('differential against json-logic-js', () => {
  it('agrees on hand-written rules covering edge cases', () => {
    expectSameResults(HAND_WRITTEN);
  });

  it('agrees on 500 generated rules', () => {
    const rule = generator(20240611);
    expectSameResults(Array.from({ length: 500 }, () => rule(4)));
  });

  it('agrees on 300 more generated rules from another seed with deeper nesting', () => {
    const rule = generator(7);
    expectSameResults(Array.from({ length: 300 }, () => rule(6)));
  });

  it('generates varied rules, not mostly constants', () => {
    const rule = generator(20240611);
    const results = new Set<string>();
    for (let i = 0; i < 500; i++) results.add(JSON.stringify(compileRule(rule(4))(DATA[0])) ?? 'undefined');
    expect(results.size).toBeGreaterThan(50);
  });
});
