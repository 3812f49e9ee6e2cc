import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

const realIndexedDB = globalThis.indexedDB;
const realPut = IDBObjectStore.prototype.put;
beforeEach(() => freshIndexedDB());
afterEach(() => {
  globalThis.indexedDB = realIndexedDB;
  IDBObjectStore.prototype.put = realPut;
});

function client(queue?: { maxEvents: number }) {
  const collector = fakeCollector();
  const onError = vi.fn();
  const attune = createAttune({
    collectorUrl: 'https://collector.test/collect',
    flushIntervalMs: 60_000,
    onError,
    ...(queue ? { queue } : {}),
    environment: { fetch: collector.fetch, storage: memoryStorage() },
  });
  return { attune, collector, onError };
}

describe('without IndexedDB (private browsing, blocked storage)', () => {
  it('warns once, still counts events for decisions and still delivers them', async () => {
    Reflect.deleteProperty(globalThis, 'indexedDB');
    const { attune, collector, onError } = client();
    await attune.consent.grant();
    attune.track('product_view');
    attune.track('product_view');
    expect(attune.getSnapshot().profile.counters).toEqual({ product_view: 2 });
    await attune.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['product_view', 'product_view']);
    expect(onError.mock.calls.filter(([error]) => error.code === 'storage-unavailable')).toHaveLength(1);
    await attune.flush();
    expect(collector.events).toHaveLength(2);
  });

  it('keeps the in-memory queue within its caps while the collector is down', async () => {
    Reflect.deleteProperty(globalThis, 'indexedDB');
    const { attune, collector } = client({ maxEvents: 5 });
    await attune.consent.grant();
    collector.respondWith = 503;
    for (let i = 0; i < 12; i++) attune.track(`e${i}`);
    await expect(attune.flush()).rejects.toMatchObject({ code: 'sync-failed' });
    expect(attune.getSnapshot().diagnostics.droppedEvents).toBe(7);
    collector.respondWith = 200;
    await attune.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['e7', 'e8', 'e9', 'e10', 'e11']);
  });

  it('tells a burst from a collector that is not taking events', async () => {
    Reflect.deleteProperty(globalThis, 'indexedDB');
    const { attune, collector, onError } = client({ maxEvents: 5 });
    await attune.consent.grant();
    for (let i = 0; i < 7; i++) attune.track(`burst${i}`);
    collector.respondWith = 503;
    await expect(attune.flush()).rejects.toMatchObject({ code: 'sync-failed' });
    attune.track('while-down');
    const overflows = onError.mock.calls.map(([error]) => error).filter((error) => error.code === 'queue-overflow');
    const messages = overflows.map((error) => error.message);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages.slice(0, -1)) expect(message).toContain('a burst over queue.maxEvents 5 / maxBytes');
    expect(messages.at(-1)).toContain('the collector is not taking events): dropped the 1 oldest');
  });

  it('forgets the in-memory queue when analytics consent is withdrawn', async () => {
    Reflect.deleteProperty(globalThis, 'indexedDB');
    const { attune, collector } = client();
    await attune.consent.grant();
    collector.respondWith = 503;
    attune.track('before');
    await attune.consent.deny(['analytics']);
    await attune.consent.grant(['analytics']);
    collector.respondWith = 200;
    await attune.flush();
    expect(collector.events).toEqual([]);
  });
});

describe('when IndexedDB runs out of space', () => {
  it('moves to memory with one warning and loses none of the events being written', async () => {
    const { attune, collector, onError } = client();
    await attune.consent.grant();
    IDBObjectStore.prototype.put = function put() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    attune.track('a');
    attune.track('b');
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'storage-unavailable' })));
    attune.track('c');
    await attune.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['a', 'b', 'c']);
    expect(onError.mock.calls.filter(([error]) => error.code === 'storage-unavailable')).toHaveLength(1);
  });
});
