import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { compileRule, truthy } from '../../src/rules/compile-rule.js';

const run = (rule: unknown, data?: unknown): unknown => compileRule(rule)(data);

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

  // Issue 15: inherited members are not data, so {"var": "profile.traits.constructor"} must not be truthy for everyone.
  describe('reads own properties only, at every step of the path', () => {
    const data = { a: { b: { c: { d: {} } } }, list: [{ x: 1 }], name: 'abc' };
    const inherited = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'isPrototypeOf'];

    it.each(inherited)('reads "%s" inherited from Object.prototype as missing, whatever the path length', (key) => {
      for (const path of [key, `a.${key}`, `a.b.${key}`, `a.b.c.${key}`, `a.b.c.d.${key}`, `${key}.name`, `a.${key}.name`, `a.b.${key}.name`, `list.0.${key}`]) {
        expect(run({ var: path }, data), path).toBeNull();
        expect(run({ var: [path, 'fallback'] }, data), path).toBe('fallback');
        expect(run({ var: [path, { var: 'name' }] }, data), path).toBe('abc');
        expect(run({ var: { cat: [path] } }, data), path).toBeNull();
        expect(run({ '!!': { var: path } }, data), path).toBe(false);
        expect(run({ missing: [path] }, data), path).toEqual([path]);
        expect(run({ missing: { merge: [path] } }, data), path).toEqual([path]);
        expect(run({ missing_some: [1, [path]] }, data), path).toEqual([path]);
      }
    });

    it('reads no inherited member of an array, a string or a number', () => {
      for (const path of ['list.map', 'list.push', 'list.constructor', 'name.charAt', 'name.constructor', 'n.toFixed']) {
        expect(run({ var: path }, { list: [1], name: 'abc', n: 5 }), path).toBeNull();
      }
    });

    it('reads own keys named like Object.prototype members as the data they are', () => {
      const own = JSON.parse('{"constructor": {"prototype": 1}, "toString": "text", "__proto__": {"x": 2}, "hasOwnProperty": 0}') as unknown;
      expect(run({ var: 'constructor.prototype' }, own)).toBe(1);
      expect(run({ var: 'toString' }, own)).toBe('text');
      expect(run({ var: '__proto__.x' }, own)).toBe(2);
      expect(run({ var: ['hasOwnProperty', 'fallback'] }, own)).toBe(0);
      expect(run({ var: 'a.constructor' }, { a: Object.assign(Object.create(null), { constructor: 'own' }) })).toBe('own');
    });

    it('still reads array and string indices and lengths', () => {
      expect(run({ var: 'list.1' }, { list: ['a', 'b'] })).toBe('b');
      expect(run({ var: 'list.length' }, { list: ['a', 'b'] })).toBe(2);
      expect(run({ var: 'name.1' }, { name: 'abc' })).toBe('b');
      expect(run({ var: 'list.5' }, { list: ['a'] })).toBeNull();
    });

    it('reads a key naming a built-in member only when own, even when a prototype of the data provides it', () => {
      const child = Object.create({ toString: 'inherited', constructor: 'inherited', plan: 'inherited' }) as Record<string, unknown>;
      for (const data of [child, { user: child }, { a: { b: { c: child } } }, { a: { b: { c: { d: child } } } }]) {
        for (const prefix of ['', 'user.', 'a.b.c.', 'a.b.c.d.']) {
          expect(run({ var: `${prefix}toString` }, data), prefix).toBeNull();
          expect(run({ var: `${prefix}constructor` }, data), prefix).toBeNull();
        }
      }
      // Other keys cannot come from a built-in: they are read as JavaScript reads them.
      expect(run({ var: 'user.plan' }, { user: child })).toBe('inherited');
    });
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

  it('negates to true when every key is present', () => {
    expect(run({ '!': { missing: ['a', 'b.c'] } }, { a: 1, b: { c: 2 } })).toBe(true);
  });

  it('filters elements that lack a key', () => {
    expect(run({ filter: [{ var: 'rows' }, { missing: 'id' }] }, { rows: [{ id: 1 }, { name: 'x' }] })).toEqual([{ name: 'x' }]);
  });

  it('treats a null or empty-string whole-data key as missing', () => {
    expect(run({ missing: [''] }, '')).toEqual(['']);
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

  it('is false as a condition when enough keys are present', () => {
    expect(run({ if: [{ missing_some: [1, ['a', 'b']] }, 'ask', 'ok'] }, { a: 1 })).toBe('ok');
  });

  it('is true as a condition when too few keys are present', () => {
    expect(run({ '!!': { missing_some: [2, ['a', 'b']] } }, { a: 1 })).toBe(true);
  });

  it('takes its minimum from a rule', () => {
    expect(run({ missing_some: [{ var: 'need' }, ['a', 'b']] }, { need: 2, a: 1 })).toEqual(['b']);
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
    const sources = files.map((f) => readFileSync(new URL(`../../src/rules/${f}.ts`, import.meta.url), 'utf8')).join('\n');
    expect(sources).not.toMatch(/\beval\s*\(|\bFunction\s*\(/);
  });
});
