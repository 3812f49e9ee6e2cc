import 'fake-indexeddb/auto';
import { beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { openDatabase } from '../../src/storage/database.js';
import { escapedErrors, fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

/** A client with consent, a collector, and every reported error code. */
async function grantedClient() {
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({ collectorUrl: 'https://collect.test/e', flushIntervalMs: 60_000, onError, environment: { storage: memoryStorage(), fetch: collector.fetch } });
  await client.consent.grant();
  await client.ready;
  const codes = () => onError.mock.calls.map(([error]) => (error as { code: string }).code);
  return { client, collector, codes };
}

it.each([
  ['a function', { handler: () => 1 }],
  ['a symbol', { tag: Symbol('tag') }],
  ['a proxy', { item: new Proxy({ sku: 'a' }, {}) }],
])('sends the events around one whose properties hold %s, and that one without it', async (_, properties) => {
  const escaped = escapedErrors();
  const { client, collector, codes } = await grantedClient();
  client.track('before');
  client.track('odd', { kept: 1, ...properties });
  client.track('after');
  await client.flush();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(collector.events.map((event) => event.name)).toEqual(['before', 'odd', 'after']);
  expect(collector.events[1]?.properties).toEqual(JSON.parse(JSON.stringify({ kept: 1, ...properties })));
  expect(codes()).toEqual([]);
  expect(escaped).toEqual([]);
  client.destroy();
});

it('sends the properties as they were when tracked, not as the page changed them later', async () => {
  const { client, collector } = await grantedClient();
  const properties = { sku: 'a' };
  client.track('product_viewed', properties);
  properties.sku = 'b';
  await client.flush();
  expect(collector.events[0]?.properties).toEqual({ sku: 'a' });
  client.destroy();
});

const cyclic: Record<string, unknown> = { plan: 'pro' };
cyclic.self = cyclic;

it.each([
  ['a getter that throws', Object.defineProperty({ plan: 'pro' }, 'secret', { enumerable: true, get: () => { throw new Error('no access'); } })],
  ['a cycle', cyclic],
  ['a BigInt', { plan: 'pro', spent: 10n }],
])('ignores identify() with traits holding %s, with event-invalid, and keeps collecting', async (_, traits) => {
  const escaped = escapedErrors();
  const { client, collector, codes } = await grantedClient();
  expect(() => client.identify('user-1', traits)).not.toThrow();
  client.track('after');
  await client.flush();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(codes()).toEqual(['event-invalid']);
  expect(client.getSnapshot().profile.traits).toEqual({});
  expect(collector.events.map((event) => event.name)).toEqual(['after']);
  expect(escaped).toEqual([]);
  client.destroy();
});

it('keeps the JSON of traits holding a function in the profile, and keeps collecting', async () => {
  const escaped = escapedErrors();
  const { client, collector, codes } = await grantedClient();
  client.identify('user-1', { plan: 'pro', greet: () => 'hi' });
  client.track('after');
  await client.flush();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(client.getSnapshot().profile.traits).toEqual({ plan: 'pro' });
  expect(collector.events.map((event) => event.name)).toEqual(['identify', 'after']);
  expect(codes()).toEqual([]);
  expect(escaped).toEqual([]);
  client.destroy();
});

it.each([
  ['without events', { key: '0' }],
  ['whose events are not a list', { key: '0', events: 'garbage' }],
  ['holding null among its events', { key: '0', events: [null, { id: '0', bytes: 1 }] }],
])('keeps sending new events when a stored queue chunk %s was tampered with', async (_, chunk) => {
  const db = await openDatabase('attune');
  await db.put('queue', chunk as never);
  db.close();
  const { client, collector } = await grantedClient();
  client.track('after');
  await client.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['after']);
  client.destroy();
});

const freshRecord = () => ({
  aliases: [],
  traits: {},
  data: { sessions: { count: 0, firstId: null, lastId: null, first: null, last: null }, purchases: { count: 0, revenue: 0, first: null, last: null }, affinities: {}, viewed: [], purchased: [], recent: [], seen: [] },
});

it.each([
  ['fields of the wrong type', { data: { affinities: 5, viewed: {} } }],
  ['null lists and sessions', { ...freshRecord(), data: { ...freshRecord().data, recent: 'x', seen: 5, sessions: null } }],
  ['bad items in its lists', { ...freshRecord(), data: { ...freshRecord().data, viewed: [5, null], recent: [null] } }],
  ['a bad affinity', { ...freshRecord(), data: { ...freshRecord().data, affinities: { category: 5 } } }],
  ['bad aliases and hydration', { ...freshRecord(), aliases: 'x', hydrated: { traits: 5, segments: 'x' } }],
])('keeps working when the stored profile record holds %s (changed outside the SDK)', async (_, record) => {
  const db = await openDatabase('attune');
  await db.put('profile', record as never, 'current');
  await db.put('aggregates', { count: 'x', minutes: 5 } as never, 'product_viewed');
  db.close();
  const bundle = {
    schema: 'attune.bundle/1',
    id: 'b',
    version: 1,
    experiences: [{ id: 'hero', slot: 'home.hero', variants: [{ id: 'a', content: 'c' }], default: 'a' }],
    content: { c: { type: 'text', value: 'Hello' } },
  };
  const escaped = escapedErrors();
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({ bundle, collectorUrl: 'https://collect.test/e', flushIntervalMs: 60_000, onError, environment: { storage: memoryStorage(), fetch: collector.fetch } });
  await client.consent.grant(); // Opens storage: the tampered profile is loaded.
  await client.ready;
  // The unreadable profile starts afresh (same anonymous id) instead of failing every call.
  expect(() => client.getSnapshot()).not.toThrow();
  expect(client.decide('home.hero')).toMatchObject({ slot: 'home.hero', reason: 'matched', content: { value: 'Hello' } });
  client.track('product_viewed', { product_id: 'p1', category: 'shoes' });
  expect(client.count('product_viewed')).toBe(1);
  expect(client.getSnapshot().profile.counters).toEqual({ product_viewed: 1 });
  await client.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['product_viewed']);
  // Reported once, as profile-invalid; storage stays in use (no fall back to memory only) and
  // nothing escapes into the page.
  expect(onError.mock.calls.map(([error]) => (error as { code: string }).code)).toEqual(['profile-invalid']);
  expect(onError.mock.calls[0]![0].message).toBe('The stored profile was unreadable: it starts afresh.');
  expect(escaped).toEqual([]);
  client.destroy();
});

it('loads a readable stored profile record as it is (its traits are kept)', async () => {
  const db = await openDatabase('attune');
  await db.put('profile', { ...freshRecord(), traits: { plan: 'pro' } } as never, 'current');
  db.close();
  const onError = vi.fn();
  const client = createAttune({ onError, environment: { storage: memoryStorage() } });
  await client.consent.grant();
  await client.ready;
  expect(client.getSnapshot().profile.traits).toEqual({ plan: 'pro' });
  expect(onError).not.toHaveBeenCalled();
  client.destroy();
});

it('sends an event named "__proto__" and keeps it in the profile like any other name, changing no prototype', async () => {
  const { client, collector, codes } = await grantedClient();
  client.track('__proto__', { category: '__proto__' });
  client.track('viewed', { category: 'shoes' });
  await client.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['__proto__', 'viewed']);
  const profile = client.getSnapshot().profile;
  expect(profile.counters).toEqual(JSON.parse('{"__proto__": 1, "viewed": 1}'));
  expect(Object.getPrototypeOf(profile.counters)).toBeNull();
  expect(Object.keys(profile.affinities.category ?? {})).toEqual(['__proto__', 'shoes']);
  expect(client.count('__proto__')).toBe(1);
  expect(({} as Record<string, unknown>).category).toBeUndefined();
  expect(codes()).toEqual([]);
  client.destroy();
});
