import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneError } from '../../src/errors.js';
import * as parts from '../../src/client/load-parts.js';
import type { createSync } from '../../src/sync/create-sync.js';
import { fakeCollector, freshIndexedDB, hiddenOnDemand, memoryStorage } from '../support.js';

/*
 * Delivery (create-sync.ts) is a part of its own, asked for when a client with a collectorUrl
 * starts: these tests hold it back, or make it fail, to check what the client does meanwhile.
 */
vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadSync: vi.fn(real.loadSync) };
});
const loadSync = vi.mocked(parts.loadSync);

beforeEach(() => {
  freshIndexedDB();
  loadSync.mockClear();
});
afterEach(() => {
  loadSync.mockReset();
  vi.unstubAllGlobals();
});

/** Holds the delivery part back until `release()`. */
function heldBack() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  loadSync.mockImplementation(async () => {
    const real = await vi.importActual<typeof import('../../src/sync/create-sync.js')>('../../src/sync/create-sync.js');
    await released;
    return real.createSync as typeof createSync;
  });
  return release;
}

const KEY = 'attune.unsent.v1';
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

it('is loaded only by a client with a collector, once, from its start', () => {
  createAttune({ environment: { storage: memoryStorage() } }).destroy();
  expect(loadSync).not.toHaveBeenCalled();
  const collector = fakeCollector();
  const client = createAttune({ collectorUrl: 'https://collector.test/collect', environment: { fetch: collector.fetch, storage: memoryStorage() } });
  expect(loadSync).toHaveBeenCalledTimes(1);
  client.destroy();
});

it('delivers the events tracked before it loaded, once each, and a flush asked for meanwhile waits for it', async () => {
  const release = heldBack();
  const collector = fakeCollector();
  const client = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage: memoryStorage() } });
  await client.consent.grant();
  client.track('early-1');
  client.track('early-2');
  const flushing = client.flush();
  await settle();
  expect(collector.events).toEqual([]);
  release();
  await flushing;
  expect(collector.events.map((event) => event.name)).toEqual(['early-1', 'early-2']);
  await client.flush();
  expect(collector.events).toHaveLength(2);
  client.destroy();
});

it('keeps what a page left before it loaded had not written for the next page, which sends it', async () => {
  const release = heldBack();
  const collector = fakeCollector();
  const storage = memoryStorage();
  const hide = hiddenOnDemand();
  const page = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
  void page.consent.grant();
  page.track('left-early');
  hide();
  expect((JSON.parse(storage.getItem(KEY) ?? '[]') as { name: string }[]).map((event) => event.name)).toEqual(['left-early']);
  page.destroy();
  release();
  await settle();
  freshIndexedDB(); // Its IndexedDB write did not commit.

  const next = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
  await next.ready;
  await next.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['left-early']);
  next.destroy();
});

it('sends nothing tracked before an analytics withdrawal that came while it loaded', async () => {
  const release = heldBack();
  const collector = fakeCollector();
  const client = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage: memoryStorage() } });
  await client.consent.grant();
  client.track('withdrawn');
  const flushing = client.flush();
  await client.consent.deny('analytics');
  await client.consent.grant('analytics');
  client.track('after');
  release();
  await flushing;
  await client.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['after']);
  client.destroy();
});

it('when it cannot load: says so once, flush() rejects with sync-failed, and the events stay queued for a later page', async () => {
  loadSync.mockRejectedValue(new Error('blocked by the network'));
  const collector = fakeCollector();
  const storage = memoryStorage();
  const errors: AttuneError[] = [];
  const client = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, onError: (error) => errors.push(error), environment: { fetch: collector.fetch, storage } });
  await client.consent.grant();
  client.track('kept');
  await expect(client.flush()).rejects.toMatchObject({ code: 'sync-failed' });
  expect(errors.filter((error) => error.code === 'sync-failed')).toHaveLength(1);
  expect(errors[0]?.message).toContain('blocked by the network');
  await settle();
  client.destroy();

  loadSync.mockReset();
  loadSync.mockImplementation(async () => (await vi.importActual<typeof import('../../src/sync/create-sync.js')>('../../src/sync/create-sync.js')).createSync as typeof createSync);
  const next = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
  await next.ready;
  await next.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['kept']);
  next.destroy();
});
