import { describe, expect, it } from 'vitest';
import { AttuneError } from '../../src/errors.js';
import { activeHydration, mergeHydration, parseHydration, type HydratedState } from '../../src/profile/hydration.js';
import { thrownAttuneError } from '../support.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;

const rejection = (input: unknown): AttuneError => thrownAttuneError(() => parseHydration(input));

function state(patch: Partial<HydratedState> = {}): HydratedState {
  return { traits: {}, segments: [], affinities: {}, expiresAtMs: null, updatedAtMs: NOW - HOUR, ...patch };
}

describe('parseHydration', () => {
  it('accepts a full hydration and returns it as given', () => {
    const input = {
      traits: { plan: 'pro', seats: 3, tags: ['a', { b: null }], vip: true, gone: null },
      segments: ['high-value', 'churn-risk'],
      affinities: { category: { shoes: 3.5, bags: 0 } },
      userId: 'u-1',
      expiresAt: '2025-06-02T00:00:00+02:00',
    };
    expect(parseHydration(input)).toEqual(input);
  });

  it('accepts an empty object and a JSON document as parsed from profileUrl', () => {
    expect(parseHydration({})).toEqual({});
    expect(parseHydration(JSON.parse('{"segments":["s"],"affinities":{"brand":{"acme":1}}}'))).toEqual({ segments: ['s'], affinities: { brand: { acme: 1 } } });
  });

  it('ignores unknown top-level keys so servers can add fields without breaking older SDKs', () => {
    expect(parseHydration({ segments: ['s'], schemaVersion: 2, predictions: { ltv: 10 } })).toEqual({ segments: ['s'] });
  });

  it('skips a "__proto__" key in traits and affinities: no prototype is set, nothing else is lost', () => {
    const hydration = parseHydration(JSON.parse('{"traits":{"__proto__":{"admin":true},"plan":"pro"},"affinities":{"__proto__":{"x":1},"category":{"__proto__":2,"shoes":1}}}'));
    expect(hydration).toEqual({ traits: { plan: 'pro' }, affinities: { category: { shoes: 1 } } });
    for (const map of [hydration.traits!, hydration.affinities!, hydration.affinities!.category!]) {
      expect(Object.keys(map)).not.toContain('__proto__');
      expect(Object.getPrototypeOf(map)).toBeNull();
    }
  });

  it('rejects what is not an object', () => {
    for (const input of [null, 'segments', [], 42]) {
      expect(rejection(input)).toMatchObject({ code: 'profile-invalid', message: expect.stringContaining('(root)') });
    }
  });

  it('lists every problem with its path', () => {
    const error = rejection({
      segments: ['ok', '', 'x'.repeat(201), 7],
      affinities: { category: { shoes: -1, bags: '2' } },
      userId: '',
    });
    expect(error.code).toBe('profile-invalid');
    expect(error.message).toContain('segments[1]: too small');
    expect(error.message).toContain('segments[2]: too big');
    expect(error.message).toContain('segments[3]: invalid type (expected string)');
    expect(error.message).toContain('affinities.category.shoes: too small');
    expect(error.message).toContain('affinities.category.bags: invalid type (expected number)');
    expect(error.message).toContain('userId: too small');
  });

  it('rejects more than 200 segments', () => {
    expect(rejection({ segments: Array.from({ length: 201 }, (_, i) => `s${i}`) }).message).toContain('segments: too big');
  });

  it('rejects trait values that are not JSON, naming the trait', () => {
    for (const value of [undefined, () => 1, Number.NaN, Infinity, new Date(0), new Map(), 1n, Symbol('s'), [1, undefined]]) {
      expect(rejection({ traits: { bad: value } }).message).toContain('traits.bad: invalid type (expected a JSON value)');
    }
  });

  it('reports trait values and the expiry date once the structure is valid', () => {
    const input = { segments: [1], traits: { bad: Number.NaN } };
    expect(rejection(input).message).not.toContain('traits.bad');
    expect(rejection({ ...input, segments: [] }).message).toContain('traits.bad');
  });

  it('lists every bad trait value', () => {
    const error = rejection({ traits: { ok: 1, a: undefined, b: [new Date(0)] }, expiresAt: '2025-02-31T25:00:00Z' });
    expect(error.message).toContain('traits.a: invalid type (expected a JSON value); traits.b: invalid type (expected a JSON value)');
    expect(error.message).toContain('expiresAt');
  });

  it('accepts deeply nested JSON up to 32 levels', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 32; i++) deep = [deep];
    expect(parseHydration({ traits: { deep } }).traits).toEqual({ deep });
  });

  it('rejects cyclic trait values instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(rejection({ traits: { cyclic } }).message).toContain('traits.cyclic: invalid type (expected a JSON value)');
  });

  it('rejects non-finite affinity scores', () => {
    expect(rejection({ affinities: { category: { shoes: Infinity } } }).message).toContain('affinities.category.shoes');
  });

  it('rejects an expiresAt without a zone or that is not a real date', () => {
    expect(rejection({ expiresAt: 'tomorrow' }).message).toContain('expiresAt: "tomorrow" is not a real date-time (ISO 8601 with Z or ±hh:mm)');
    expect(rejection({ expiresAt: '2025-06-02T00:00:00' }).message).toContain('expiresAt: "2025-06-02T00:00:00" is not a real date-time');
    expect(rejection({ expiresAt: '2025-13-02T00:00:00Z' }).message).toContain('expiresAt: "2025-13-02T00:00:00Z" is not a real date-time');
    // Date.parse alone would roll February 31st over to March 3rd.
    expect(rejection({ expiresAt: '2025-02-31T00:00:00Z' }).message).toContain('expiresAt: "2025-02-31T00:00:00Z" is not a real date-time');
    expect(parseHydration({ expiresAt: '2024-02-29T23:59:59.5-05:00' }).expiresAt).toBe('2024-02-29T23:59:59.5-05:00');
  });

  it('does not let a "__proto__" key replace a prototype: the merged maps have none', () => {
    const parsed = parseHydration(JSON.parse('{"traits":{"__proto__":{"polluted":1}},"affinities":{"__proto__":{"x":1}}}'));
    const merged = mergeHydration(undefined, parsed, NOW);
    expect(Object.getPrototypeOf(merged.traits)).toBeNull();
    expect(Object.getPrototypeOf(merged.affinities)).toBeNull();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('merges dimensions and values named like Object.prototype members as data, changing no built-in', () => {
    const first = mergeHydration(undefined, parseHydration({ affinities: { constructor: { keys: 1 }, toString: { valueOf: 2 } }, traits: { hasOwnProperty: 'yes' } }), NOW);
    const merged = mergeHydration(first, parseHydration({ affinities: { constructor: { keys: 3, assign: 4 } } }), NOW);
    expect(merged.affinities).toEqual({ constructor: { keys: 3, assign: 4 }, toString: { valueOf: 2 } });
    expect(merged.traits).toEqual({ hasOwnProperty: 'yes' });
    expect(typeof Object.keys).toBe('function');
    expect(typeof Object.assign).toBe('function');
  });
});

describe('mergeHydration', () => {
  it('builds the first state from a hydration, without the userId and without null traits', () => {
    expect(mergeHydration(undefined, { traits: { plan: 'pro', gone: null }, segments: ['a'], affinities: { c: { x: 1 } }, userId: 'u', expiresAt: '2025-06-02T12:00:00Z' }, NOW)).toEqual({
      traits: { plan: 'pro' },
      segments: ['a'],
      affinities: { c: { x: 1 } },
      expiresAtMs: NOW + 24 * HOUR,
      updatedAtMs: NOW,
    });
  });

  it('starts empty and never expiring when the first hydration has nothing', () => {
    expect(mergeHydration(undefined, {}, NOW)).toEqual({ traits: {}, segments: [], affinities: {}, expiresAtMs: null, updatedAtMs: NOW });
  });

  it('merges traits key by key, the newer value winning and null removing the key', () => {
    const previous = state({ traits: { plan: 'free', name: 'Ann', city: 'Berlin' } });
    expect(mergeHydration(previous, { traits: { plan: 'pro', city: null, seats: 3 } }, NOW).traits).toEqual({ plan: 'pro', name: 'Ann', seats: 3 });
  });

  it('replaces the segments when the hydration has them, and removes duplicates', () => {
    const previous = state({ segments: ['a', 'b'] });
    expect(mergeHydration(previous, { segments: ['c', 'c', 'a'] }, NOW).segments).toEqual(['c', 'a']);
    expect(mergeHydration(previous, { segments: [] }, NOW).segments).toEqual([]);
  });

  it('keeps the previous segments when the hydration has none', () => {
    expect(mergeHydration(state({ segments: ['a'] }), { traits: { x: 1 } }, NOW).segments).toEqual(['a']);
  });

  it('merges affinities per dimension and per value, the newer score replacing the older', () => {
    const previous = state({ affinities: { category: { shoes: 1, bags: 2 }, brand: { acme: 5 } } });
    expect(mergeHydration(previous, { affinities: { category: { shoes: 4, hats: 1 }, color: { red: 0 } } }, NOW).affinities).toEqual({
      category: { shoes: 4, bags: 2, hats: 1 },
      brand: { acme: 5 },
      color: { red: 0 },
    });
  });

  it('replaces expiresAt when given and keeps the previous one otherwise', () => {
    const previous = state({ expiresAtMs: NOW + HOUR });
    expect(mergeHydration(previous, { expiresAt: '2025-06-01T15:00:00Z' }, NOW).expiresAtMs).toBe(NOW + 3 * HOUR);
    expect(mergeHydration(previous, { segments: ['a'] }, NOW).expiresAtMs).toBe(NOW + HOUR);
  });

  it('does not carry expired segments and affinities into the new state, but keeps the traits', () => {
    const previous = state({ traits: { plan: 'pro' }, segments: ['old'], affinities: { c: { x: 1 } }, expiresAtMs: NOW - 1 });
    expect(mergeHydration(previous, { affinities: { c: { y: 2 } } }, NOW)).toEqual({
      traits: { plan: 'pro' },
      segments: [],
      affinities: { c: { y: 2 } },
      expiresAtMs: null,
      updatedAtMs: NOW,
    });
  });

  it('stamps updatedAtMs and does not modify the previous state or the hydration', () => {
    const previous = state({ traits: { a: 1 }, segments: ['s'], affinities: { c: { x: 1 } } });
    const snapshot = structuredClone(previous);
    const next = { traits: { a: null }, affinities: { c: { x: 2 } } };
    const merged = mergeHydration(previous, next, NOW);
    expect(merged.updatedAtMs).toBe(NOW);
    expect(previous).toEqual(snapshot);
    expect(next).toEqual({ traits: { a: null }, affinities: { c: { x: 2 } } });
  });
});

describe('activeHydration', () => {
  it('returns undefined for no state', () => {
    expect(activeHydration(undefined, NOW)).toBeUndefined();
  });

  it('returns the state as it is before it expires, or when it never expires', () => {
    const expiring = state({ segments: ['a'], expiresAtMs: NOW + 1 });
    expect(activeHydration(expiring, NOW)).toBe(expiring);
    const forever = state({ segments: ['a'] });
    expect(activeHydration(forever, NOW + 1e12)).toBe(forever);
  });

  it('drops the segments and affinities from the moment it expires, and keeps the traits', () => {
    const expired = state({ traits: { plan: 'pro' }, segments: ['a'], affinities: { c: { x: 1 } }, expiresAtMs: NOW });
    expect(activeHydration(expired, NOW)).toEqual({ traits: { plan: 'pro' }, segments: [], affinities: {}, expiresAtMs: null, updatedAtMs: NOW - HOUR });
    expect(expired.segments).toEqual(['a']);
  });

  it('applies a hydration whose expiresAt is already past for its traits only', () => {
    const merged = mergeHydration(undefined, { traits: { t: 1 }, segments: ['a'], expiresAt: '2025-06-01T11:00:00Z' }, NOW);
    expect(activeHydration(merged, NOW)).toMatchObject({ traits: { t: 1 }, segments: [], affinities: {} });
  });
});
