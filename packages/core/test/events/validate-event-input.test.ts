import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { validateEventInput } from '../../src/events/event.js';
import { AttuneError } from '../../src/errors.js';
import { thrownAttuneError } from '../support.js';

const rejection = (name: unknown, properties?: unknown): AttuneError => thrownAttuneError(() => validateEventInput(name, properties));

describe('validateEventInput (what track() and page() accept)', () => {
  it('accepts a name of 1 to 200 characters with plain-object properties, as given', () => {
    const properties = { sku: 'a' };
    expect(validateEventInput('viewed', properties)).toEqual({ name: 'viewed', properties });
    expect(validateEventInput('x'.repeat(200), {}).name).toHaveLength(200);
    const bare = Object.assign(Object.create(null) as object, { sku: 'b' });
    expect(validateEventInput('viewed', bare).properties).toBe(bare);
  });

  it('accepts a plain object made in another frame (another realm)', () => {
    const framed = runInNewContext('({ sku: "a" })') as object;
    expect(Object.getPrototypeOf(framed)).not.toBe(Object.prototype);
    expect(validateEventInput('viewed', framed).properties).toBe(framed);
    expect(() => validateEventInput('viewed', runInNewContext('new Date(0)'))).toThrow(AttuneError);
    expect(() => validateEventInput('viewed', runInNewContext('[1]'))).toThrow(AttuneError);
  });

  it('treats missing properties (undefined or null) as none', () => {
    expect(validateEventInput('viewed', undefined)).toEqual({ name: 'viewed', properties: {} });
    expect(validateEventInput('viewed', null)).toEqual({ name: 'viewed', properties: {} });
  });

  it.each([
    ['an empty name', '', {}, 'name'],
    ['a name of 201 characters', 'x'.repeat(201), {}, 'name'],
    ['a number for a name', 42, {}, 'name'],
    ['an array of properties', 'viewed', ['a'], 'properties'],
    ['a string of properties', 'viewed', 'sku', 'properties'],
    ['a Date for properties', 'viewed', new Date(0), 'properties'],
    ['a Map for properties', 'viewed', new Map([['sku', 'a']]), 'properties'],
    ['an instance of a class for properties', 'viewed', new (class Item {})(), 'properties'],
    ['both wrong', '', 5, 'name, properties'],
  ])('rejects %s with event-invalid naming the field', (_, name, properties, invalid) => {
    const error = rejection(name, properties);
    expect(error.code).toBe('event-invalid');
    expect(error.message).toBe(`Event ${JSON.stringify(String(name))} was dropped: invalid ${invalid} (name: 1 to 200 characters; properties: a plain object).`);
  });
});
