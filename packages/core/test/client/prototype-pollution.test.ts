import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneClient, AttuneOptions } from '../../src/client/types.js';
import { openDatabase } from '../../src/storage/database.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

/*
 * Issue 15: keys that come from data (event names and properties, traits, hydrated maps, ids in a
 * bundle or a QA override, stored records) are data. Each public entry that takes data is fed keys
 * named like every member of Object.prototype, plus paths reaching further through one, and no
 * built-in may change, before or after a reload (the stored profile is read back and applied).
 */

/** Every member name of Object.prototype ("__proto__" among them), and keys reaching further through one. */
const MEMBERS = Object.getOwnPropertyNames(Object.prototype);
const KEYS = [...new Set([...MEMBERS, '__proto__', 'prototype', 'constructor.prototype', '__proto__.polluted', 'constructor.prototype.polluted'])];
/** What zod's objects drop today (hydration and bundle maps): such keys may be dropped there, never applied to a prototype. */
const DROPPED_BY_PARSING = '__proto__';

// Taken before any test can break them: the checks below must work even if a built-in was overwritten.
const { getOwnPropertyDescriptors, getPrototypeOf, isExtensible, is } = Object;
const { ownKeys, defineProperty, deleteProperty } = Reflect;

/** The built-ins a data key could reach: Object, the prototypes, and every function they hold (e.g. Object.prototype.toString). */
function builtInTargets(): [string, object][] {
  const roots: [string, object][] = [
    ['Object', Object],
    ['Object.prototype', Object.prototype],
    ['Array', Array],
    ['Array.prototype', Array.prototype],
    ['Function.prototype', Function.prototype],
    ['String.prototype', String.prototype],
  ];
  const targets = [...roots];
  for (const [name, root] of roots) {
    const descriptors = getOwnPropertyDescriptors(root) as Record<string | symbol, PropertyDescriptor>;
    for (const key of ownKeys(descriptors)) {
      const value = descriptors[key]!.value as unknown;
      if (typeof value === 'function' && value !== Object && value !== Array) targets.push([`${name}.${String(key)}`, value]);
    }
  }
  return targets;
}

interface Picture {
  name: string;
  target: object;
  prototype: object | null;
  extensible: boolean;
  descriptors: Record<string | symbol, PropertyDescriptor>;
}
const picture = (): Picture[] =>
  builtInTargets().map(([name, target]) => ({ name, target, prototype: getPrototypeOf(target), extensible: isExtensible(target), descriptors: getOwnPropertyDescriptors(target) as Record<string | symbol, PropertyDescriptor> }));
const ORIGINAL = picture();

const sameDescriptor = (a: PropertyDescriptor | undefined, b: PropertyDescriptor | undefined): boolean =>
  a !== undefined && b !== undefined && is(a.value, b.value) && is(a.get, b.get) && is(a.set, b.set) && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;

/**
 * What changed on the built-ins since this file loaded (e.g. "Object.keys"), then puts them back,
 * so one failing test cannot break the ones after it (or the test runner).
 */
function builtInChanges(): string[] {
  const changes: string[] = [];
  for (const { name, target, prototype, extensible, descriptors } of ORIGINAL) {
    const now = getOwnPropertyDescriptors(target) as Record<string | symbol, PropertyDescriptor>;
    for (const key of new Set([...ownKeys(descriptors), ...ownKeys(now)])) {
      if (sameDescriptor(descriptors[key], now[key])) continue;
      changes.push(`${name}.${String(key)}`);
      if (descriptors[key]) defineProperty(target, key, descriptors[key]);
      else deleteProperty(target, key);
    }
    if (getPrototypeOf(target) !== prototype) {
      changes.push(`${name} (prototype)`);
      Reflect.setPrototypeOf(target, prototype);
    }
    if (isExtensible(target) !== extensible) changes.push(`${name} (extensible)`);
  }
  return changes;
}

/** No built-in changed, and the everyday ones still work. */
function expectBuiltInsIntact(): void {
  expect(builtInChanges()).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys({ a: 1 })).toEqual(['a']);
  expect({}.hasOwnProperty('a')).toBe(false);
  expect(String({})).toBe('[object Object]');
  expect([1, 2].map((x) => x * 2)).toEqual([2, 4]);
}

/** An object with each key as an own property (even "__proto__"), as JSON.parse makes it. */
const withKeys = <T>(keys: readonly string[], value: (key: string) => T): Record<string, T> => Object.fromEntries(keys.map((key) => [key, value(key)]));
const own = (map: object, key: string): unknown => (Object.hasOwn(map, key) ? (map as Record<string, unknown>)[key] : undefined);

let clock = Date.parse('2026-11-23T12:00:00Z');
let storage = memoryStorage();
let served: Record<string, unknown> = {};
const clients: AttuneClient[] = [];

/** Serves `served[url]` as JSON with an ETag (bundles, profiles), or a status given as a number; the collector takes every batch. */
const fetchJson = (async (url: RequestInfo | URL) => {
  const body = served[String(url)];
  if (body === undefined || typeof body === 'number') return new Response(null, { status: body ?? 200 });
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'content-type': 'application/json', etag: '"1"' } });
}) as typeof fetch;

beforeEach(() => {
  freshIndexedDB();
  storage = memoryStorage();
  served = {};
  clock = Date.parse('2026-11-23T12:00:00Z');
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  vi.unstubAllGlobals();
  expect(builtInChanges()).toEqual([]);
});

function open(extra: Partial<AttuneOptions> = {}) {
  const onError = vi.fn();
  const client = createAttune({
    collectorUrl: 'https://collect.test/e',
    flushIntervalMs: 60_000,
    onError,
    environment: { fetch: fetchJson, storage, now: () => clock },
    ...extra,
  });
  clients.push(client);
  const codes = () => onError.mock.calls.map(([error]) => (error as { code: string }).code);
  return { client, codes };
}

async function granted(extra: Partial<AttuneOptions> = {}) {
  const opened = open(extra);
  await opened.client.consent.grant();
  await opened.client.ready;
  return opened;
}

/** Lets IndexedDB writes and tab messages land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

/** The visitor's next page: this page leaves once its writes landed, and a new client reads what was stored. */
async function reload(client: AttuneClient, extra: Partial<AttuneOptions> = {}) {
  await settle();
  client.destroy();
  clients.splice(clients.indexOf(client), 1);
  const next = open(extra);
  await next.client.ready;
  await settle();
  return next;
}

/** decide(), decideAll() and getSnapshot() still answer. */
function expectWorking(client: AttuneClient): void {
  expect(typeof client.decide('home.hero').reason).toBe('string');
  expect(Array.isArray(client.decideAll())).toBe(true);
  expect(typeof client.getSnapshot().profile).toBe('object');
}

describe('issue 15, defect 1: hydrated profile data cannot overwrite built-ins', () => {
  it('keeps Object.keys a function after hydrating an affinity dimension "constructor", also on the next page', async () => {
    const { client } = await granted();
    client.hydrate({ affinities: { constructor: { keys: 1 } } });
    const affinities = client.getSnapshot().profile.affinities;
    expect(builtInChanges()).toEqual([]);
    expect(own(affinities, 'constructor')).toEqual({ keys: 1 });

    const next = (await reload(client)).client;
    const again = next.getSnapshot().profile.affinities;
    expect(builtInChanges()).toEqual([]);
    expect(own(again, 'constructor')).toEqual({ keys: 1 });
    expectWorking(next);
  });

  it('keeps Object.keys a function when the same JSON comes from profileUrl, also on the next page', async () => {
    served['https://cdp.test/profile'] = '{"affinities": {"constructor": {"keys": 1}}}';
    const { client } = await granted({ profileUrl: 'https://cdp.test/profile' });
    await vi.waitFor(() => expect(Object.keys(client.getSnapshot().profile.affinities)).toContain('constructor'));
    expect(builtInChanges()).toEqual([]);
    const next = (await reload(client)).client;
    expect(own(next.getSnapshot().profile.affinities, 'constructor')).toEqual({ keys: 1 });
    expect(builtInChanges()).toEqual([]);
  });

  it.each(['hasOwnProperty', 'toString', 'valueOf'])('keeps a hydrated dimension "%s" as data and Object.prototype as it was, also on the next page', async (dimension) => {
    const { client } = await granted();
    client.track('product_view', { category: 'shoes' });
    client.hydrate({ affinities: { [dimension]: { shoes: 2 } } });
    expect(own(client.getSnapshot().profile.affinities, dimension)).toEqual({ shoes: 2 });
    expect(own(client.getSnapshot().profile.top, dimension)).toEqual(['shoes']);
    expect(builtInChanges()).toEqual([]);

    const next = (await reload(client)).client;
    expect(own(next.getSnapshot().profile.affinities, dimension)).toEqual({ shoes: 2 });
    expect(builtInChanges()).toEqual([]);
    expectWorking(next);
  });
});

describe('every data entry, fed keys named like Object.prototype members', () => {
  it('track and page: event names, property keys and values are data, also on the next page', async () => {
    const { client, codes } = await granted();
    const properties = (key: string) => ({ ...withKeys(KEYS, () => ({ polluted: 1 })), category: key, tags: KEYS, product_id: key, revenue: 1 });
    for (const key of KEYS) client.track(key, properties(key));
    client.page(properties('page'));
    client.track('purchase', { products: KEYS.map((key) => ({ product_id: key })) });
    expectBuiltInsIntact();

    const check = (target: AttuneClient, times: number) => {
      const profile = target.getSnapshot().profile;
      for (const key of KEYS) {
        expect(own(profile.counters, key), key).toBe(times);
        expect(own(profile.events, key), key).toMatchObject({ count: times });
        expect(target.count(key), key).toBe(times);
      }
      expect(Object.keys(profile.affinities.category ?? {}).sort()).toEqual([...new Set([...KEYS.map((key) => key.toLowerCase()), 'page'])].sort());
      expect(Object.keys(profile.affinities.tag ?? {}).sort()).toEqual([...new Set(KEYS.map((key) => key.toLowerCase()))].sort());
      expect([...profile.purchased].sort()).toEqual([...KEYS].sort());
      expectWorking(target);
    };
    check(client, 1);
    expect(codes()).toEqual([]);

    const next = await reload(client);
    expectBuiltInsIntact();
    check(next.client, 1);
    // Written again into the profile read back from storage.
    for (const key of KEYS) next.client.track(key, properties(key));
    expectBuiltInsIntact();
    check(next.client, 2);
    expect(next.codes()).toEqual([]);
  });

  it('identify and alias: user ids and trait keys are data, also when a saved profile is merged back and on the next page', async () => {
    const { client, codes } = await granted();
    const traits = withKeys(KEYS, (key) => `trait ${key}`);
    client.identify('constructor', traits);
    client.alias('__proto__');
    client.alias('toString');
    expectBuiltInsIntact();
    const check = (target: AttuneClient) => {
      const profile = target.getSnapshot().profile;
      for (const key of KEYS) expect(own(profile.traits, key), key).toBe(`trait ${key}`);
      expect(profile.userId).toBe('toString');
      expect(profile.aliases).toEqual(expect.arrayContaining(['constructor', '__proto__']));
      expectWorking(target);
    };
    check(client);
    await settle();
    // Another user, then back: the saved profile (read back from storage) is merged in.
    client.identify('valueOf', withKeys(KEYS, () => 'other'));
    await settle();
    client.identify('toString');
    await settle();
    expectBuiltInsIntact();
    expect(client.getSnapshot().profile.userId).toBe('toString');
    const next = await reload(client);
    expectBuiltInsIntact();
    expect(next.client.getSnapshot().profile.userId).toBe('toString');
    expect(own(next.client.getSnapshot().profile.traits, 'hasOwnProperty')).toBe('trait hasOwnProperty');
    expectWorking(next.client);
    expect([...codes(), ...next.codes()]).toEqual([]);
  });

  it('hydrate: every map, the segments and the user id are data, merged again on the next page', async () => {
    const { client, codes } = await granted();
    const hydration = {
      traits: withKeys(KEYS, (key) => `trait ${key}`),
      affinities: withKeys(KEYS, () => withKeys(KEYS, () => 2)),
      segments: KEYS,
      userId: 'constructor',
    };
    client.hydrate(hydration);
    expectBuiltInsIntact();
    const check = (target: AttuneClient, score: number) => {
      const profile = target.getSnapshot().profile;
      expect(profile.userId).toBe('constructor');
      expect(profile.segments).toEqual(KEYS);
      for (const key of KEYS) {
        // zod leaves "__proto__" out of parsed objects; any other key is kept as it is.
        if (key === DROPPED_BY_PARSING) continue;
        expect(own(profile.traits, key), key).toBe(`trait ${key}`);
        expect(own(profile.affinities, key), key).toEqual(withKeys(KEYS.filter((k) => k !== DROPPED_BY_PARSING), () => score));
        expect(own(profile.top, key), key).toHaveLength(5);
      }
      expectWorking(target);
    };
    check(client, 2);
    const next = await reload(client);
    expectBuiltInsIntact();
    check(next.client, 2);
    next.client.hydrate({ ...hydration, affinities: withKeys(KEYS, () => withKeys(KEYS, () => 3)) });
    expectBuiltInsIntact();
    check(next.client, 3);
    expect([...codes(), ...next.codes()]).toEqual([]);
  });

  it('profileUrl: the JSON served is data, also on the next page', async () => {
    served['https://cdp.test/profile'] = { traits: withKeys(KEYS, (key) => key), affinities: withKeys(KEYS, () => withKeys(KEYS, () => 1)), segments: KEYS };
    const { client, codes } = await granted({ profileUrl: 'https://cdp.test/profile' });
    await vi.waitFor(() => expect(client.getSnapshot().profile.segments).toEqual(KEYS));
    expectBuiltInsIntact();
    expect(own(client.getSnapshot().profile.affinities, 'valueOf')).toMatchObject({ constructor: 1, toString: 1 });
    expect(own(client.getSnapshot().profile.traits, 'toString')).toBe('toString');
    const next = await reload(client, { profileUrl: 'https://cdp.test/profile' });
    expectBuiltInsIntact();
    expect(own(next.client.getSnapshot().profile.affinities, 'valueOf')).toMatchObject({ constructor: 1, toString: 1 });
    expectWorking(next.client);
    expect([...codes(), ...next.codes()]).toEqual([]);
  });

  /** A bundle whose ids, slots, content keys and meta keys are the keys (zod drops a "__proto__" content key: that one gets another id). */
  function keyedBundle() {
    const contentId = (key: string) => (key === DROPPED_BY_PARSING ? 'proto-content' : key);
    const content = withKeys([...KEYS.map(contentId), 'home'], (key) => ({ type: 'text', value: `content ${key}`, meta: withKeys(KEYS, () => 1) }));
    return {
      schema: 'attune.bundle/1',
      id: 'constructor',
      version: 1,
      segments: KEYS.map((key) => ({ id: key, when: { '!!': { var: `profile.traits.${key}` } } })),
      stages: KEYS.map((key) => ({ id: key, when: { '>=': [{ var: [`profile.counters.${key}`, 0] }, 1] } })),
      experiences: [
        ...KEYS.map((key) => ({
          id: key,
          slot: key,
          audience: { segment: key },
          cap: { count: 5, per: 'session' },
          variants: [{ id: key, content: contentId(key) }],
        })),
        ...KEYS.map((key) => ({
          id: `exp ${key}`,
          slot: `slot ${key}`,
          experiment: { id: key, traffic: 1 },
          variants: [
            { id: key, content: contentId(key) },
            { id: 'other', content: 'home' },
          ],
        })),
        {
          id: 'mvt',
          slot: 'home.hero',
          experiment: { id: 'mvt', factors: KEYS.filter((key) => key !== DROPPED_BY_PARSING).map((key) => ({ id: key, levels: [{ id: key, content: contentId(key) }] })) },
          variants: [{ id: 'base', content: 'home' }],
        },
      ],
      content,
    };
  }

  it('bundle JSON: ids, slots, content and meta keys, segments, experiments and factors are data, also from the cache on the next page', async () => {
    served['https://cdn.test/bundle.json'] = keyedBundle();
    const { client, codes } = await granted({ bundleUrl: 'https://cdn.test/bundle.json' });
    expect(client.getSnapshot().bundle.status).toBe('ready');
    client.identify('user', withKeys(KEYS.slice(0, 3), () => true));
    client.track(KEYS[0]!);
    expectBuiltInsIntact();

    const check = (target: AttuneClient) => {
      for (const key of KEYS.slice(0, 3)) {
        const decision = target.decide(key);
        expect(decision.reason, key).toBe('matched');
        expect(decision.content).toMatchObject({ value: `content ${key === DROPPED_BY_PARSING ? 'proto-content' : key}` });
        target.shown(decision);
      }
      for (const key of KEYS.slice(3)) expect(target.decide(key).reason, key).toBe('not-in-audience');
      for (const key of KEYS) expect(target.decide(`slot ${key}`).experiment?.id, key).toBe(key);
      const mvt = target.decide('home.hero');
      expect(mvt.reason).toBe('matched');
      expect(own(mvt.parts ?? {}, 'constructor')).toMatchObject({ value: 'content constructor' });
      expect(own(mvt.experiment?.levels ?? {}, 'toString')).toBe('toString');
      expect(target.getSnapshot().profile.stage).toBe(KEYS[0]);
      expect(target.decideAll().length).toBeGreaterThan(KEYS.length);
    };
    check(client);
    expectBuiltInsIntact();
    const variants = KEYS.map((key) => client.decide(`slot ${key}`).variant);

    // The next page serves the cached bundle (read back from IndexedDB; the server answers "not
    // modified") and the stored assignments and caps.
    served['https://cdn.test/bundle.json'] = 304;
    const next = await reload(client, { bundleUrl: 'https://cdn.test/bundle.json' });
    expectBuiltInsIntact();
    expect(next.client.getSnapshot().bundle).toMatchObject({ status: 'ready', source: 'cache' });
    check(next.client);
    expect(KEYS.map((key) => next.client.decide(`slot ${key}`).variant)).toEqual(variants);
    expectBuiltInsIntact();
    expect([...codes(), ...next.codes()]).toEqual([]);
  });

  it('bundle JSON: a content map keyed "__proto__" is served or refused, never applied to a prototype', async () => {
    const bundle = JSON.parse('{"schema": "attune.bundle/1", "id": "b", "version": 1, "experiences": [{"id": "x", "slot": "home.hero", "variants": [{"id": "v", "content": "__proto__"}]}], "content": {"__proto__": {"type": "text", "value": "hi", "meta": {"__proto__": {"polluted": 1}}}}}') as object;
    const { client } = await granted({ bundle });
    expectBuiltInsIntact();
    const decision = client.decide('home.hero');
    if (decision.reason === 'matched') expect(decision.content).toMatchObject({ value: 'hi' });
    expectWorking(client);
  });

  it('force() and ?attune_force=: experiment and variant ids are data', async () => {
    const pairs = KEYS.map((key) => `${key}:${key}`).join(',');
    vi.stubGlobal('location', new URL(`https://shop.test/?attune_force=${encodeURIComponent(pairs)},exp:__proto__`));
    const { client, codes } = await granted({ bundle: keyedBundle() });
    for (const key of KEYS) client.force(key, key);
    client.force('__proto__', 'other');
    client.force('constructor', null);
    expectBuiltInsIntact();
    for (const key of KEYS.filter((k) => k !== 'constructor')) {
      const decision = client.decide(`slot ${key}`);
      expect(decision.reason, key).toBe('forced');
      expect(decision.variant, key).toBe(key === '__proto__' ? 'other' : key);
    }
    expect(client.decide('slot constructor').reason).toBe('matched');
    expectWorking(client);
    expectBuiltInsIntact();
    // Only the override naming no experiment ("exp") is reported.
    expect(codes()).toEqual(['rule-invalid']);
  });

  it('stored records changed in IndexedDB and localStorage are read back as data, and written to again', async () => {
    const first = await granted();
    first.client.track('seed');
    await settle();
    first.client.destroy();
    clients.splice(0);

    const at = clock - 1000;
    const aggregate = { count: 4, first: at, last: at, minutes: [], hours: [], days: [] };
    const data = {
      sessions: { count: 1, firstId: 's', lastId: 's', first: at, last: at },
      purchases: { count: 0, revenue: 0, first: null, last: null },
      affinities: withKeys(KEYS, () => withKeys(KEYS, () => [1, at])),
      viewed: KEYS.map((key) => [key, at, 1]),
      purchased: [],
      recent: KEYS.map((key, i) => ({ id: `r${i}`, name: key, t: at, properties: withKeys(KEYS, () => 1) })),
      seen: [],
    };
    const hydrated = { traits: withKeys(KEYS, (key) => `hydrated ${key}`), segments: KEYS, affinities: withKeys(KEYS, () => withKeys(KEYS, () => 9)), expiresAtMs: null, updatedAtMs: at };
    const db = await openDatabase('attune');
    for (const key of KEYS) await db.put('aggregates', aggregate, key);
    await db.put('profile', { aliases: KEYS, traits: withKeys(KEYS, (key) => `trait ${key}`), hydrated, data } as never, 'current');
    await db.put('profile', { anonymousId: null, userId: 'constructor', aliases: [], traits: withKeys(KEYS, () => 'saved'), data: { ...data, events: withKeys(KEYS, () => aggregate) }, savedAt: at } as never, 'user:constructor');
    await db.put('decisions', { assignments: withKeys(KEYS, (key) => ({ unit: 'x', variant: key, at, levels: withKeys(KEYS, (k) => k) })), caps: withKeys(KEYS, () => ({ lifetime: 1, dayKey: 0, day: 0, sessionId: 's', session: 1 })) }, 'state');
    await db.put('decisions', KEYS, 'segments');
    db.close();
    const anonymousId = JSON.parse(JSON.stringify(storage.getItem('attune.anonymousId.v1'))) as string | null;
    storage.setItem('attune.unsaved.v1', JSON.stringify([`${anonymousId}|null`, ...KEYS.map((key, i) => ({ id: `u${i}`, name: key, timestampMs: clock, properties: { ...withKeys(KEYS, () => 1), category: key, product_id: key } }))]));

    const { client, codes } = open({ bundle: keyedBundle() });
    await client.ready;
    await settle();
    expectBuiltInsIntact();
    const check = (extra: number) => {
      const profile = client.getSnapshot().profile;
      for (const key of KEYS) {
        expect(own(profile.traits, key), key).toBe(`trait ${key}`);
        expect(own(profile.affinities, key), key).toBeTypeOf('object');
        expect(Object.keys(own(profile.affinities, key) as object), key).toEqual(expect.arrayContaining(KEYS));
        expect(own(profile.top, key), key).toHaveLength(5);
      }
      expect(profile.viewed).toEqual(expect.arrayContaining(KEYS));
      expect(profile.aliases).toEqual(expect.arrayContaining(KEYS));
      expect(profile.segments).toEqual(KEYS);
      for (const key of KEYS) expect([key, own(profile.counters, key)]).toEqual([key, 4 + extra]);
      expectWorking(client);
    };
    // The unsaved events of the last page were applied once to what IndexedDB held.
    check(1);
    for (const key of KEYS) client.track(key, { category: key, tags: KEYS, product_id: key });
    for (const key of KEYS.slice(0, 3)) client.shown(client.decide(key));
    expectBuiltInsIntact();
    check(2);
    // The saved profile of user "constructor" is read back and merged in.
    client.identify('constructor');
    await vi.waitFor(() => expect(own(client.getSnapshot().profile.counters, 'toString')).toBe(4 + 2 + 4));
    expectBuiltInsIntact();
    expect(own(client.getSnapshot().profile.traits, 'valueOf')).toBe('trait valueOf');
    expectWorking(client);
    expect(codes()).toEqual([]);
  });

  it('messages of another tab are data: events, and a consent message with extra purposes', async () => {
    const a = await granted();
    const b = await granted();
    for (const key of KEYS) a.client.track(key, { ...withKeys(KEYS, () => 1), category: key });
    await vi.waitFor(() => expect(own(b.client.getSnapshot().profile.counters, 'toString')).toBe(1));
    const channel = new BroadcastChannel('attune:attune');
    channel.postMessage({ kind: 'events', events: KEYS.map((key, i) => ({ id: `t${i}`, name: key, timestampMs: clock, properties: withKeys(KEYS, () => 1) })) });
    channel.postMessage({ kind: 'consent', state: { ...withKeys(KEYS, () => 'granted'), analytics: 'granted', personalization: 'granted' } });
    channel.postMessage({ kind: 'profile' });
    await settle();
    channel.close();
    expectBuiltInsIntact();
    for (const client of [a.client, b.client]) {
      for (const key of KEYS) expect(own(client.getSnapshot().profile.counters, key), key).toBe(2);
      expectWorking(client);
      expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' });
    }
  });
});
