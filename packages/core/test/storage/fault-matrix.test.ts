import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, expect, it, onTestFinished, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneClient } from '../../src/client/types.js';
import { DATABASE_VERSION, openDatabase, type AttuneDatabase } from '../../src/storage/database.js';
import { WRITE_DELAY_MS } from '../../src/storage/write-batch.js';
import { fakeHost } from '../bundle/signing.js';
import { shopBundle } from '../fixtures.js';
import { escapedErrors, fakeCollector, freshIndexedDB, memoryStorage, versionOneDatabase } from '../support.js';

/*
 * The storage fault matrix: for each way storage can fail or be tampered with, a visitor on a
 * consented page tracks events before and after the fault. What every row must give: the page's
 * events reach the collector, flush() resolves, nothing escapes into the page, and the page hears
 * exactly the warnings listed. Each row then checks what else the visitor sees.
 */

const BUNDLE_URL = 'https://cdn.test/shop.json';
const clients: AttuneClient[] = [];
/** The connections the page opened (for the browser to close one). */
let connections: IDBDatabase[] = [];

beforeEach(() => {
  freshIndexedDB();
  connections = [];
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
    const request = open(...args);
    request.addEventListener('success', () => connections.push(request.result));
    return request;
  };
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.destroy();
});

type Storage = ReturnType<typeof memoryStorage>;

/** A page of the shop: its bundle from the CDN, its events to the collector, its onError codes (`storage` null: the browser's). */
function openPage(storage: Storage | null = memoryStorage()) {
  const host = fakeHost();
  host.files.set(BUNDLE_URL, { body: JSON.stringify(shopBundle()) });
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({
    collectorUrl: 'https://collector.test/collect',
    bundleUrl: BUNDLE_URL,
    flushIntervalMs: 60_000,
    tcf: false,
    onError,
    environment: { ...(storage && { storage }), fetch: (input, init) => (init?.method === 'POST' ? collector.fetch(input, init) : host.fetch(input, init)) },
  });
  clients.push(client);
  const codes = () => onError.mock.calls.map(([error]) => (error as { code: string }).code);
  return { client, collector, codes, storage };
}
type Page = ReturnType<typeof openPage>;

/** Lets IndexedDB writes land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** The events of an earlier page of the visitor, still queued: three product views (the shop's "engaged" segment). */
const EARLIER = ['product_viewed', 'product_viewed', 'product_viewed'];
async function earlierPage(): Promise<void> {
  const client = createAttune({ tcf: false, environment: { storage: memoryStorage() } });
  await client.consent.grant();
  for (const name of EARLIER) client.track(name);
  await settle();
  client.destroy();
}
/** The shop's hero for a visitor in the "engaged" segment, and for anyone else. */
const ENGAGED = { type: 'text', value: 'Welcome back' };
const DEFAULT = { type: 'text', value: 'Welcome' };

/** Changes the SDK's database as a program other than the SDK might. */
async function tamper(change: (db: AttuneDatabase) => Promise<unknown>): Promise<void> {
  const db = await openDatabase('attune');
  await change(db);
  db.close();
}

/** localStorage that refuses every call (blocked by the browser, or a sandboxed frame). */
function throwingStorage(): Storage {
  const refuse = () => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return Object.assign(memoryStorage(), { getItem: refuse, setItem: refuse, removeItem: refuse });
}

interface Fault {
  /** Before the page opens. */
  before?(): Promise<unknown> | unknown;
  /** Once the page is consented and has tracked its first event. */
  during?(): Promise<unknown> | unknown;
  /** localStorage as the page finds it (null: the browser's). */
  storage?(): Storage | null;
  /** The onError codes the page hears, in order. */
  warnings: string[];
  /** Events delivered besides the page's own two: left queued by an earlier page, or segment entries. */
  alsoDelivered?: string[];
  /** The page's events that wait in IndexedDB for the next page instead. */
  nextPage?: string[];
  /** What else the visitor sees. */
  then?(page: Page): Promise<void> | void;
}

const faults: Record<string, Fault> = {
  'IndexedDB is unavailable': {
    before: () => Reflect.deleteProperty(globalThis, 'indexedDB'),
    warnings: ['storage-unavailable'],
    then: ({ client }) => expect(client.count('first')).toBe(1),
  },
  'opening IndexedDB throws': {
    before: () =>
      vi.spyOn(indexedDB, 'open').mockImplementation(() => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      }),
    warnings: ['storage-unavailable'],
    then: ({ client }) => expect(client.count('first')).toBe(1),
  },
  'a write exceeds the quota (the transaction aborts as it commits)': {
    during() {
      const put = IDBObjectStore.prototype.put;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const request = put.apply(this, args);
        const tx = this.transaction as unknown as { _abort(name: string): void };
        request.addEventListener('success', () => tx._abort('QuotaExceededError'));
        return request;
      });
    },
    warnings: ['storage-unavailable'],
    // The page carries on in memory; what was written before the disk filled up is sent by the next page.
    nextPage: ['first'],
    async then({ client, storage }) {
      expect(client.count('second')).toBe(1);
      vi.restoreAllMocks();
      const next = openPage(storage);
      await next.client.ready;
      await next.client.flush();
      expect(next.collector.events.map((event) => event.name)).toEqual(['first']);
    },
  },
  'the upgrade of an older database is aborted midway': {
    async before() {
      await versionOneDatabase({ '0001': 'left-by-v1' });
      const getAll = IDBObjectStore.prototype.getAll;
      vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
        const request = getAll.apply(this, args);
        // The browser ends the upgrade just as the migration has read the old queue.
        if (this.transaction.mode === 'versionchange') request.addEventListener('success', () => this.transaction.abort());
        return request;
      });
    },
    warnings: ['storage-unavailable'],
    async then() {
      // The older database is left as it was: the next page upgrades it and sends what it kept.
      vi.restoreAllMocks();
      const next = openPage();
      await next.client.consent.grant();
      await next.client.flush();
      expect(next.collector.events.map((event) => event.name)).toEqual(['left-by-v1']);
    },
  },
  'another script of the site owns a database of that name (version 1, other stores)': {
    async before() {
      const theirs = await openDB('attune', 1, { upgrade: (db) => db.createObjectStore('their-store') });
      theirs.close();
    },
    warnings: ['storage-unavailable'],
    async then() {
      // Left as it was: no store of Attune's was added to it, its version is the same.
      const theirs = await openDB('attune');
      expect([theirs.version, [...theirs.objectStoreNames]]).toEqual([1, ['their-store']]);
      theirs.close();
    },
  },
  'another tab deletes the database': {
    before: earlierPage,
    during: () => deleteDB('attune'),
    warnings: [],
    // What the earlier page left queued went with the database; what this page tracked did not.
    alsoDelivered: ['segment_entered'],
    async then({ storage }) {
      await settle();
      const next = openPage(storage);
      await next.client.ready;
      expect(next.client.count('product_viewed')).toBe(3);
      expect(next.client.count('second')).toBe(1);
    },
  },
  'another tab opens the database at a higher version (a newer deploy)': {
    before: earlierPage,
    during: () => openDB('attune', DATABASE_VERSION + 1).then((db) => db.close()),
    // What the earlier page left queued is the newer version's to send now.
    warnings: ['storage-unavailable'],
    alsoDelivered: ['segment_entered'],
    then: ({ client }) => expect(client.count('product_viewed')).toBe(3),
  },
  'the browser closes the connection': {
    during: () => forceCloseDatabase(connections.at(-1) as never),
    warnings: [],
    then: ({ client }) => expect(client.count('second')).toBe(1),
  },
  'queue entries are not events (changed outside the SDK)': {
    async before() {
      await earlierPage();
      await tamper(async (db) => {
        const [chunk] = await db.getAll('queue');
        const notEvents = [
          { id: 'a', bytes: 10, event: { name: 'no-id-or-type' } },
          { id: 'b', bytes: 10, event: { id: 'b', type: 'track', name: 42, timestamp: '2026-01-05T10:00:00.000Z', properties: {} } },
          { id: 'c', bytes: 10, event: { id: 'c', type: 'track', name: 'no-properties', timestamp: '2026-01-05T10:00:00.000Z', properties: 'x' } },
          { id: 'd', bytes: 10, event: { id: 'other', type: 'track', name: 'another-id', timestamp: '2026-01-05T10:00:00.000Z', properties: {} } },
          'junk',
          null,
        ];
        await db.put('queue', { key: chunk!.key, events: [...notEvents.slice(0, 3), ...chunk!.events, ...notEvents.slice(3)] as never });
        await db.put('queue', { key: '0', events: 'garbage' } as never);
      });
    },
    warnings: ['event-invalid'],
    alsoDelivered: [...EARLIER, 'segment_entered'],
  },
  'aggregates are not aggregates': {
    async before() {
      await earlierPage();
      await tamper((db) => Promise.all([db.put('aggregates', 'junk' as never, 'product_viewed'), db.put('aggregates', { count: 5 } as never, '__proto__')]));
    },
    // The profile cannot be trusted: it starts afresh, with the same ids; the queue is untouched.
    warnings: ['profile-invalid'],
    alsoDelivered: EARLIER,
    then({ client }) {
      expect(client.count('second')).toBe(1);
      expect(client.count('product_viewed')).toBe(0);
      expect(client.decide('home.hero').content).toEqual(DEFAULT);
    },
  },
  'the profile record is not a profile': {
    async before() {
      await earlierPage();
      await tamper((db) => Promise.all([db.put('profile', { data: 'junk', traits: 5, aliases: 'x' } as never, 'current'), db.put('profile', 'junk' as never, 'user:u1')]));
    },
    // The profile starts afresh with the same ids (its counts too: the record holds the ids of
    // the events they counted); the queue is untouched.
    warnings: ['profile-invalid'],
    alsoDelivered: EARLIER,
    then({ client }) {
      expect(client.count('product_viewed')).toBe(0);
      expect(client.decide('home.hero').content).toEqual(DEFAULT);
      client.identify('u1');
      client.track('after-sign-in');
      expect(client.count('after-sign-in')).toBe(1);
    },
  },
  'the cached bundle is not a bundle': {
    // Consent remembered: the cached copy is read at start-up.
    storage: () => Object.assign(memoryStorage(), { getItem: (key: string) => (key === 'attune.consent.v1' ? '["analytics","personalization"]' : null) }),
    async before() {
      await earlierPage();
      await tamper((db) => db.put('bundles', { text: 42, version: 'x' } as never, BUNDLE_URL));
    },
    // Refused and forgotten: the network copy serves.
    warnings: ['bundle-invalid'],
    alsoDelivered: [...EARLIER, 'segment_entered'],
    then({ client }) {
      expect(client.getSnapshot().bundle).toMatchObject({ status: 'ready', source: 'network' });
      expect(client.decide('home.hero').content).toEqual(ENGAGED);
    },
  },
  'the decision state is not decision state': {
    async before() {
      await earlierPage();
      await tamper((db) => Promise.all([db.put('decisions', 'junk', 'state'), db.put('decisions', { length: 3 }, 'segments')]));
    },
    warnings: [],
    alsoDelivered: [...EARLIER, 'segment_entered'],
    then: ({ client }) => expect(client.decide('home.hero').content).toEqual(ENGAGED),
  },
  'meta records are of the wrong types': {
    async before() {
      await earlierPage();
      await tamper((db) =>
        Promise.all([db.put('meta', 42, 'anonymousId'), db.put('meta', 'many' as never, 'queueCount'), db.put('meta', -5, 'queueBytes'), db.put('meta', {} as never, 'userId')]),
      );
    },
    warnings: [],
    alsoDelivered: [...EARLIER, 'segment_entered'],
    then({ client }) {
      expect(client.decide('home.hero').content).toEqual(ENGAGED);
      expect(client.getSnapshot().profile.anonymousId).toMatch(/^[0-9a-f-]{36}$/);
      expect(client.getSnapshot().profile.userId).toBeNull();
    },
  },
  'accessing localStorage throws (blocked by the browser)': {
    before() {
      Object.defineProperty(globalThis, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
      onTestFinished(() => void Reflect.deleteProperty(globalThis, 'localStorage'));
    },
    storage: () => null,
    warnings: ['storage-unavailable'],
    then: () => expect(openPage(null).client.consent.get().analytics).toBe('unknown'),
  },
  'localStorage throws': {
    storage: throwingStorage,
    // Consent applies to this page; it will not be remembered, and the page is told once.
    warnings: ['storage-unavailable'],
    async then({ client, storage }) {
      await client.consent.deny(['personalization']);
      await client.consent.grant();
      expect(client.consent.get().analytics).toBe('granted');
      const next = openPage(storage);
      expect(next.client.consent.get().analytics).toBe('unknown');
    },
  },
};

it.each(Object.entries(faults))('%s: the events are delivered, flush() resolves and nothing escapes', async (_, fault) => {
  const escaped = escapedErrors();
  await fault.before?.();
  const page = openPage(fault.storage ? fault.storage() : memoryStorage());
  const { client, collector, codes } = page;
  await client.consent.grant();
  await client.ready;
  client.track('first');
  await new Promise((resolve) => setTimeout(resolve, WRITE_DELAY_MS + 30)); // 'first' is written before the fault.
  await fault.during?.();
  client.track('second');
  await client.flush();
  await client.flush();
  await settle();
  const delivered = new Map(collector.events.map((event) => [event.id, event.name]));
  const own = ['first', 'second'].filter((name) => !fault.nextPage?.includes(name));
  expect([...delivered.values()].sort()).toEqual([...(fault.alsoDelivered ?? []), ...own].sort());
  await fault.then?.(page);
  await settle();
  expect(codes()).toEqual(fault.warnings);
  expect(escaped).toEqual([]);
});
