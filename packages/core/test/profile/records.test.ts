import { describe, expect, it } from 'vitest';
import { dropLowest, own, storable } from '../../src/profile/records.js';

describe('own', () => {
  it('reads own keys only', () => {
    const obj: Record<string, number> = { a: 1, constructor: 2 };
    expect(own(obj, 'a')).toBe(1);
    expect(own(obj, 'constructor')).toBe(2);
    expect(own(obj, 'toString')).toBeUndefined();
    expect(own(obj, '__proto__')).toBeUndefined();
  });
});

describe('storable', () => {
  it('refuses only "__proto__"', () => {
    expect(['a', 'constructor', 'prototype', ''].every(storable)).toBe(true);
    expect(storable('__proto__')).toBe(false);
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
