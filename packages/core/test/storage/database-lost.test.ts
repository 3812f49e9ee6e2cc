import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { DATABASE_VERSION } from '../../src/storage/database.js';
import { escapedErrors, fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

/*
 * Another tab of the site (a newer deploy of the SDK, or site code clearing data) deletes the
 * database or opens it at a higher version while this tab is open and consented; or the browser
 * closes the connection. This tab lets go of the database so the other tab is not blocked, and
 * must keep delivering, keep its profile, and never let an error reach the page.
 */

const clients: { destroy(): void }[] = [];
beforeEach(() => freshIndexedDB());
afterEach(() => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.destroy();
});

/** A page of the site whose visitor has consented (kept in `storage`, like localStorage); its requests wait for `answer`. */
async function consentedPage(storage = memoryStorage(), answer: Promise<unknown> = Promise.resolve()) {
  const collector = fakeCollector();
  const onError = vi.fn();
  const fetch: typeof collector.fetch = async (...request) => (await answer, collector.fetch(...request));
  const client = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, onError, environment: { fetch, storage } });
  clients.push(client);
  await client.consent.grant();
  await client.ready;
  const codes = () => onError.mock.calls.map(([error]) => (error as { code: string }).code);
  return { client, collector, storage, codes };
}

const trackViews = (client: { track(name: string): void }, count: number) => {
  for (let i = 0; i < count; i++) client.track('product_view');
};
const uniqueIds = (collector: { events: { id: string }[] }) => new Set(collector.events.map((event) => event.id)).size;
/** Lets IndexedDB writes land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
/** The product views the visitor's next page (a new client on the same storage) counts, once this page's writes have landed. */
async function viewsOnNextPage(storage: ReturnType<typeof memoryStorage>): Promise<number> {
  await settle();
  return (await consentedPage(storage)).client.count('product_view');
}

describe('when another tab deletes the database', () => {
  it('delivers every event tracked afterwards, and flush() resolves', async () => {
    const escaped = escapedErrors();
    const { client, collector } = await consentedPage();
    trackViews(client, 3);
    await client.flush();
    await deleteDB('attune');
    trackViews(client, 300);
    await client.flush();
    expect(uniqueIds(collector)).toBe(303);
    expect(escaped).toEqual([]);
  });

  it('re-creates the database with the profile kept in memory, so the next page counts every event', async () => {
    const escaped = escapedErrors();
    const { client, storage } = await consentedPage();
    trackViews(client, 3);
    await settle();
    await deleteDB('attune');
    trackViews(client, 300);
    expect(client.count('product_view')).toBe(303);
    expect(await viewsOnNextPage(storage)).toBe(303);
    expect(escaped).toEqual([]);
  });

  it('queues again the events whose write the deletion removed', async () => {
    const escaped = escapedErrors();
    const { client, collector } = await consentedPage();
    collector.respondWith = 503;
    trackViews(client, 20);
    await settle(); // Written to the database the other tab then deletes.
    await deleteDB('attune');
    collector.respondWith = 200;
    await client.flush();
    expect(uniqueIds(collector)).toBe(20);
    expect(escaped).toEqual([]);
  });

  it('lets a flush that was sending when it happened resolve, and delivers what was tracked meanwhile', async () => {
    const escaped = escapedErrors();
    let answer = () => {};
    const { client, collector } = await consentedPage(memoryStorage(), new Promise<void>((resolve) => (answer = resolve)));
    trackViews(client, 3);
    const flushing = client.flush();
    await settle(); // Sending, waiting for the collector.
    await deleteDB('attune');
    trackViews(client, 2);
    answer();
    await flushing;
    await client.flush();
    expect(uniqueIds(collector)).toBe(5);
    expect(escaped).toEqual([]);
  });

  it('does not warn: nothing is lost and the database is back', async () => {
    const { client, codes } = await consentedPage();
    await deleteDB('attune');
    trackViews(client, 3);
    await client.flush();
    await settle();
    expect(codes()).toEqual([]);
    expect((await indexedDB.databases()).map((db) => db.name)).toEqual(['attune']);
  });
});

describe('when another tab opens the database at a higher version (a newer deploy)', () => {
  it('keeps delivering from memory with one storage-unavailable warning, and keeps the profile', async () => {
    const escaped = escapedErrors();
    const { client, collector, codes } = await consentedPage();
    trackViews(client, 3);
    await client.flush();
    const newer = await openDB('attune', DATABASE_VERSION + 1);
    trackViews(client, 300);
    await client.flush();
    await client.flush();
    expect(uniqueIds(collector)).toBe(303);
    expect(client.count('product_view')).toBe(303);
    expect(codes()).toEqual(['storage-unavailable']);
    expect(escaped).toEqual([]);
    newer.close();
  });

  it('delivers from memory the events it had queued in the database when the other tab upgraded it', async () => {
    const escaped = escapedErrors();
    const { client, collector } = await consentedPage();
    collector.respondWith = 503;
    trackViews(client, 20);
    await settle();
    const newer = await openDB('attune', DATABASE_VERSION + 1);
    collector.respondWith = 200;
    await client.flush();
    expect(uniqueIds(collector)).toBe(20);
    expect(escaped).toEqual([]);
    newer.close();
  });
});

describe('when the browser closes the connection', () => {
  it('opens the database again and keeps delivering and counting', async () => {
    const escaped = escapedErrors();
    const connections: IDBDatabase[] = [];
    const open = indexedDB.open.bind(indexedDB);
    indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
      const request = open(...args);
      request.addEventListener('success', () => connections.push(request.result));
      return request;
    };
    const { client, collector, storage } = await consentedPage();
    trackViews(client, 3);
    await settle();
    forceCloseDatabase(connections[0]! as never);
    trackViews(client, 30);
    await client.flush();
    expect(uniqueIds(collector)).toBe(33);
    expect(await viewsOnNextPage(storage)).toBe(33);
    expect(escaped).toEqual([]);
  });

  it('lets nothing escape when it aborts a read as it closes the connection, and the next flush delivers', async () => {
    const escaped = escapedErrors();
    const { client, collector } = await consentedPage();
    trackViews(client, 3);
    await settle();
    const openCursor = IDBObjectStore.prototype.openCursor;
    vi.spyOn(IDBObjectStore.prototype, 'openCursor').mockImplementationOnce(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['openCursor']>) {
      const request = openCursor.apply(this, args);
      this.transaction.abort();
      forceCloseDatabase(this.transaction.db as never);
      return request;
    });
    await client.flush().catch(() => {}); // That flush's read was cut short.
    await settle(); // The browser says the connection closed once the read has ended.
    await client.flush();
    expect(uniqueIds(collector)).toBe(3);
    expect(escaped).toEqual([]);
  });
});

describe('when the visitor withdraws consent in another tab', () => {
  it('this tab does not make the deleted database again, and keeps nothing once it hears of the withdrawal', async () => {
    const storage = memoryStorage();
    const { client: here } = await consentedPage(storage);
    trackViews(here, 3);
    await settle();
    const { client: there } = await consentedPage(storage);
    await there.consent.withdraw();
    await settle();
    expect(await indexedDB.databases()).toEqual([]);
    await vi.waitFor(() => expect(here.consent.get().analytics).toBe('denied'));
    expect(here.count('product_view')).toBe(0);
  });
});

describe('a destroyed client', () => {
  it('lets go of the database: another tab can delete it, and it is not made again', async () => {
    const { client } = await consentedPage();
    trackViews(client, 3);
    client.destroy();
    await settle();
    await deleteDB('attune');
    await settle();
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('writes what it was given before it lets go: the next page counts every view', async () => {
    const storage = memoryStorage();
    const { client } = await consentedPage(storage);
    trackViews(client, 3);
    client.destroy();
    expect(await viewsOnNextPage(storage)).toBe(3);
  });
});
