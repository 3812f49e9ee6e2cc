import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { CHUNK_EVENTS } from '../../src/storage/stored-queue.js';
import { WRITE_DELAY_MS } from '../../src/storage/write-batch.js';
import { fakeCollector, freshIndexedDB, hiddenOnDemand, memoryStorage } from '../support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clients: { destroy(): void }[] = [];

beforeEach(() => freshIndexedDB());
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function page(storage = memoryStorage(), withCollector = true) {
  const collector = fakeCollector();
  const collectorUrl = withCollector ? 'https://collector.test/collect' : undefined;
  const client = createAttune({ collectorUrl, flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
  clients.push(client);
  return { client, collector, storage };
}

/**
 * Counts the read-write transactions that write the outgoing queue and the profile. Installed
 * before the database opens (the connection keeps the method it found then); `since()` starts
 * counting afresh.
 */
function queueWrites(): { (): number; since(): void } {
  const transaction = IDBDatabase.prototype.transaction;
  let count = 0;
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const stores = [args[0]].flat();
    if (args[1] === 'readwrite' && stores.includes('queue') && stores.includes('profile')) count++;
    return transaction.apply(this, args);
  });
  return Object.assign(() => count, { since: () => void (count = 0) });
}

describe('writes to IndexedDB', () => {
  it('events a page makes one at a time share one transaction, and all of them are stored', async () => {
    const writes = queueWrites();
    const { client, storage } = page();
    await client.consent.grant();
    await client.ready;
    await sleep(WRITE_DELAY_MS + 10);
    writes.since();
    for (let i = 0; i < 5; i++) {
      client.track('product_viewed', { sku: `A${i}` });
      await sleep(WRITE_DELAY_MS / 10);
    }
    expect(writes()).toBe(0); // Still waiting for the next events.
    await sleep(WRITE_DELAY_MS);
    expect(writes()).toBe(1);
    client.destroy();
    const next = page(storage).client;
    await next.ready;
    expect(next.count('product_viewed')).toBe(5);
  });

  it('a burst as big as a chunk is written at once, not after the delay', async () => {
    const writes = queueWrites();
    const { client } = page();
    await client.consent.grant();
    await client.ready;
    await sleep(WRITE_DELAY_MS + 10);
    writes.since();
    for (let i = 0; i < CHUNK_EVENTS; i++) client.track('product_viewed', { sku: `A${i}` });
    await sleep(0);
    expect(writes()).toBe(1);
  });

  it('a page being hidden writes what waits at once, and the next page has it (no collector: the profile alone)', async () => {
    const hide = hiddenOnDemand();
    const writes = queueWrites();
    const { client, storage } = page(memoryStorage(), false);
    await client.consent.grant();
    await client.ready;
    await sleep(WRITE_DELAY_MS + 10);
    writes.since();
    client.track('added_to_cart', { sku: 'A1' });
    hide();
    await sleep(0);
    expect(writes()).toBe(1);
    await sleep(10);
    vi.unstubAllGlobals();
    const next = page(storage, false).client;
    await next.ready;
    expect(next.count('added_to_cart')).toBe(1);
  });

  it('flush() writes what waits first, and delivers it', async () => {
    const { client, collector } = page();
    await client.consent.grant();
    await client.ready;
    client.track('signed_up');
    await client.flush();
    expect(collector.events.map((event) => event.name)).toContain('signed_up');
  });
});

describe('what the other tabs are told', () => {
  it('events a page makes one at a time reach the other tabs in one message', async () => {
    const storage = memoryStorage();
    const first = page(storage).client;
    const second = page(storage).client;
    await Promise.all([first.consent.grant(), second.consent.grant()]);
    await Promise.all([first.ready, second.ready]);
    await sleep(WRITE_DELAY_MS + 10);
    const posts = vi.spyOn(BroadcastChannel.prototype, 'postMessage');
    for (let i = 0; i < 5; i++) {
      first.track('product_viewed', { sku: `A${i}` });
      await sleep(WRITE_DELAY_MS / 10);
    }
    await sleep(WRITE_DELAY_MS + 10);
    expect(second.count('product_viewed')).toBe(5);
    expect(posts.mock.calls.filter(([message]) => (message as { kind: string }).kind === 'events')).toHaveLength(1);
  });
});
