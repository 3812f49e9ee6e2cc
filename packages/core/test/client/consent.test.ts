import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { databaseNames, fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

function setup() {
  const collector = fakeCollector();
  const storage = memoryStorage();
  const onError = vi.fn();
  const client = createAttune({
    collectorUrl: 'https://collector.test/collect',
    flushIntervalMs: 60_000,
    onError,
    environment: { fetch: collector.fetch, storage },
  });
  return { client, collector, storage, onError };
}

describe('consent', () => {
  it('stores and sends nothing before a grant', async () => {
    const { client, collector, storage } = setup();
    client.track('product_viewed', { sku: 'A' });
    client.page();
    await client.ready;
    await client.flush();
    expect(collector.requests).toBe(0);
    expect(storage.entries.size).toBe(0);
    expect(await databaseNames()).not.toContain('attune');
    expect(client.getSnapshot().profile.counters).toEqual({});
  });

  it('queues, counts and sends a tracked event once after a grant', async () => {
    const { client, collector } = setup();
    await client.consent.grant();
    client.track('product_viewed', { sku: 'A' });
    expect(client.getSnapshot().profile.counters).toEqual({ product_viewed: 1 });
    await client.flush();
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['product_viewed']);
    expect(collector.events[0]).toMatchObject({ type: 'track', properties: { sku: 'A' }, consent: ['analytics', 'personalization'] });
  });

  it('remembers a grant for the next page view', async () => {
    const { client, storage, collector } = setup();
    await client.consent.grant();
    client.track('product_viewed');
    await client.flush();
    client.destroy();

    const next = createAttune({ environment: { storage, fetch: collector.fetch } });
    await next.ready;
    expect(next.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' });
    expect(next.getSnapshot().profile.counters).toEqual({ product_viewed: 1 });
  });

  it('erases the database, the queue and the stored grant when consent is denied', async () => {
    const { client, collector, storage } = setup();
    await client.consent.grant();
    client.track('product_viewed');
    collector.respondWith = 503;
    await client.flush().catch(() => undefined);
    await client.consent.deny();

    expect(await databaseNames()).not.toContain('attune');
    expect(storage.entries.size).toBe(0);
    expect(client.getSnapshot().profile).toMatchObject({ anonymousId: null, counters: {} });
    collector.respondWith = 200;
    client.track('after_deny');
    await client.flush();
    expect(collector.events).toEqual([]);
  });

  for (const call of ['consent.withdraw', 'erase'] as const) {
    it(`${call}() erases the database, the session, the ids and the stored consent in one call`, async () => {
      const { client, collector, storage } = setup();
      await client.consent.grant();
      client.track('viewed');
      await client.ready;
      expect(storage.entries.size).toBeGreaterThan(0);
      await (call === 'erase' ? client.erase() : client.consent.withdraw());
      expect(await databaseNames()).not.toContain('attune');
      expect(storage.entries.size).toBe(0);
      expect(client.getSnapshot().profile).toMatchObject({ anonymousId: null, userId: null, counters: {} });
      client.track('after');
      await client.flush();
      expect(collector.requests).toBe(0);
    });
  }

  it('keeps the profile but sends nothing when only personalization is granted', async () => {
    const { client, collector } = setup();
    await client.consent.grant(['personalization']);
    client.track('product_viewed');
    await client.flush();
    expect(client.getSnapshot().profile.counters).toEqual({ product_viewed: 1 });
    expect(collector.requests).toBe(0);
  });

  it('sends events but keeps no counters when only analytics is granted', async () => {
    const { client, collector } = setup();
    await client.consent.grant(['analytics']);
    client.track('product_viewed');
    await client.flush();
    expect(client.getSnapshot().profile.counters).toEqual({});
    expect(collector.events.map((e) => e.name)).toEqual(['product_viewed']);
  });
});
