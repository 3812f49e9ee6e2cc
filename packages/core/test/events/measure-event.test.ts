import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, measureEvent, type AttuneEvent } from '../../src/events/event.js';
import { AttuneError } from '../../src/errors.js';

const context = { page: { url: 'https://shop.test/', path: '/', title: 'Shop', referrer: '' } } as unknown as AttuneEvent['context'];

function event(properties: Record<string, unknown>): AttuneEvent {
  return { id: 'e', type: 'track', name: 'viewed', timestamp: '2026-12-06T00:00:00.000Z', anonymousId: 'a', sessionId: 's', context, properties, consent: ['analytics'] };
}

describe('measureEvent', () => {
  it.each([
    ['flat scalars', { sku: 'a', price: 9.5, member: true, note: null }],
    ['non-finite numbers and undefined', { price: Number.NaN, max: Infinity, gone: undefined, sku: 'a' }],
    ['nested values', { item: { sku: 'a', tags: ['x', undefined], at: new Date(0) } }],
    ['a function and a symbol', { run: () => 1, tag: Symbol('t'), sku: 'a' }],
  ])('leaves the event holding exactly the JSON of its properties (%s)', (_, properties) => {
    const tracked = event(properties);
    measureEvent(tracked);
    expect(tracked.properties).toStrictEqual(JSON.parse(JSON.stringify(properties)));
  });

  it('keeps a copy, so later changes by the page are not sent', () => {
    const properties: Record<string, unknown> = { sku: 'a', item: { sku: 'a' } };
    const tracked = event(properties);
    measureEvent(tracked);
    properties.sku = 'b';
    (properties.item as Record<string, unknown>).sku = 'b';
    expect(tracked.properties).toEqual({ sku: 'a', item: { sku: 'a' } });
  });

  it('returns a size that grows with the UTF-8 bytes of the properties', () => {
    const small = measureEvent(event({ note: 'é' }));
    const large = measureEvent(event({ note: 'é'.repeat(101) }));
    expect(large - small).toBe(200);
  });

  it('refuses an event over the size limit and one that cannot be serialized', () => {
    expect(() => measureEvent(event({ note: 'x'.repeat(MAX_EVENT_BYTES) }))).toThrow(AttuneError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => measureEvent(event({ cyclic }))).toThrow(/cannot be serialized to JSON/);
    expect(() => measureEvent(event({ spent: 10n }))).toThrow(/cannot be serialized to JSON/);
  });
});
