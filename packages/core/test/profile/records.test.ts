import { describe, expect, it } from 'vitest';
import { dict, dropLowest, own } from '../../src/profile/records.js';

describe('own', () => {
  it('reads own keys only', () => {
    const obj: Record<string, number> = { a: 1, constructor: 2 };
    expect(own(obj, 'a')).toBe(1);
    expect(own(obj, 'constructor')).toBe(2);
    expect(own(obj, 'toString')).toBeUndefined();
    expect(own(obj, '__proto__')).toBeUndefined();
  });
});

describe('dict', () => {
  it('keeps every key, "__proto__" and "constructor" included, as an own key and reads no prototype', () => {
    const map = dict<number>();
    for (const key of ['__proto__', 'constructor', 'toString', 'prototype', '']) map[key] = 1;
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(Object.keys(map)).toEqual(['__proto__', 'constructor', 'toString', 'prototype', '']);
    expect(map.hasOwnProperty).toBeUndefined();
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('copies the own keys of each given object, a "__proto__" key included, and ignores undefined', () => {
    const map = dict(JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as object, undefined, { a: 2, b: 3 });
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(Object.keys(map)).toEqual(['__proto__', 'a', 'b']);
    expect(map).toEqual(JSON.parse('{"__proto__": {"polluted": 1}, "a": 2, "b": 3}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('dropLowest', () => {
  it('deletes the lowest scores until max keys remain', () => {
    const obj = { a: 3, b: 1, c: 2, d: 0 };
    dropLowest(obj, 2, (v) => v);
    expect(obj).toEqual({ a: 3, c: 2 });
  });

  it('drops the later name on equal scores', () => {
    const obj = { b: 1, a: 1, c: 1 };
    dropLowest(obj, 2, (v) => v);
    expect(Object.keys(obj).sort()).toEqual(['a', 'b']);
  });

  it('never drops the kept key', () => {
    const obj = { a: 3, b: 2, fresh: 0 };
    dropLowest(obj, 2, (v) => v, 'fresh');
    expect(obj).toEqual({ a: 3, fresh: 0 });
  });

  it('does nothing within the cap', () => {
    const obj = { a: 1 };
    dropLowest(obj, 1, () => 0);
    expect(obj).toEqual({ a: 1 });
  });
});
