import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

function granted(collector = fakeCollector(), storage = memoryStorage(), batchSize = 50) {
  const onError = vi.fn();
  const client = createAttune({
    collectorUrl: 'https://collector.test/collect',
    flushIntervalMs: 60_000,
    batchSize,
    onError,
    environment: { fetch: collector.fetch, storage },
  });
  return { client, collector, storage, onError, ready: client.consent.grant() };
}

describe('delivery', () => {
  it('keeps events after a failed send and delivers them on the next flush', async () => {
    const { client, collector, ready, onError } = granted();
    await ready;
    collector.respondWith = 'network';
    client.track('a');
    client.track('b');
    await expect(client.flush()).rejects.toMatchObject({ code: 'sync-failed' });
    collector.respondWith = 500;
    await expect(client.flush()).rejects.toMatchObject({ code: 'sync-failed' });
    collector.respondWith = 200;
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['a', 'b']);
  });

  it('drops only the events the collector refuses for good (4xx), reports them, and delivers the rest', async () => {
    const { client, collector, ready, onError } = granted();
    await ready;
    collector.poisonName = 'bad';
    client.track('good1');
    client.track('bad');
    client.track('good2');
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['good1', 'good2']);
    expect(client.getSnapshot().diagnostics.rejectedEvents).toBe(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'sync-rejected' }));
    await client.flush();
    expect(collector.requests).toBe(4);
  });

  it('caps the queue while the collector is down, dropping the oldest events and counting them', async () => {
    const collector = fakeCollector();
    const onError = vi.fn();
    const client = createAttune({
      collectorUrl: 'https://c.test/collect',
      flushIntervalMs: 60_000,
      queue: { maxEvents: 20, maxBytes: 1_000_000 },
      onError,
      environment: { fetch: collector.fetch, storage: memoryStorage() },
    });
    await client.consent.grant();
    collector.respondWith = 503;
    for (let i = 0; i < 50; i++) client.track(`e${i}`);
    await client.flush().catch(() => undefined);
    expect(client.getSnapshot().diagnostics.droppedEvents).toBe(30);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'queue-overflow' }));
    collector.respondWith = 200;
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(Array.from({ length: 20 }, (_, i) => `e${i + 30}`));
    client.destroy();
  });

  it('caps the queue by bytes too', async () => {
    const collector = fakeCollector();
    const client = createAttune({
      collectorUrl: 'https://c.test/collect',
      flushIntervalMs: 60_000,
      queue: { maxEvents: 1000, maxBytes: 20_000 },
      onError: () => {},
      environment: { fetch: collector.fetch, storage: memoryStorage() },
    });
    await client.consent.grant();
    collector.respondWith = 503;
    for (let i = 0; i < 10; i++) client.track(`big${i}`, { text: 'x'.repeat(4000) });
    await client.flush().catch(() => undefined);
    collector.respondWith = 200;
    await client.flush();
    const names = collector.events.map((e) => e.name);
    expect(names.length).toBeLessThan(10);
    expect(names.at(-1)).toBe('big9');
    client.destroy();
  });

  it('aborts a send the collector never answers and keeps the events for a retry', async () => {
    const hanging = ((_url: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const collector = fakeCollector();
    let fetchImpl = hanging;
    const client = createAttune({
      collectorUrl: 'https://c.test/collect',
      flushIntervalMs: 60_000,
      requestTimeoutMs: 20,
      onError: () => {},
      environment: { fetch: (url, init) => fetchImpl(url, init), storage: memoryStorage() },
    });
    await client.consent.grant();
    client.track('patient');
    await expect(client.flush()).rejects.toMatchObject({ code: 'sync-failed', message: expect.stringContaining('no answer within 20 ms') });
    fetchImpl = collector.fetch;
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['patient']);
    client.destroy();
  });

  it('delivers events queued on an earlier page view that could not send', async () => {
    const collector = fakeCollector();
    const storage = memoryStorage();
    const first = granted(collector, storage);
    await first.ready;
    collector.respondWith = 'network';
    first.client.track('left_behind');
    await first.client.flush().catch(() => undefined);
    first.client.destroy();

    collector.respondWith = 200;
    const second = createAttune({ collectorUrl: 'https://collector.test/collect', environment: { fetch: collector.fetch, storage } });
    await second.ready;
    await second.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['left_behind']);
  });

  it('sends in batches of the configured size, oldest first', async () => {
    const { client, collector, ready } = granted(fakeCollector(), memoryStorage(), 2);
    await ready;
    for (const name of ['e1', 'e2', 'e3', 'e4', 'e5']) client.track(name);
    await client.flush();
    expect(collector.requests).toBe(3);
    expect(collector.events.map((e) => e.name)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('sends on its own after the batching interval', async () => {
    const collector = fakeCollector();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 5, environment: { fetch: collector.fetch, storage: memoryStorage() } });
    await client.consent.grant();
    client.track('timed');
    await vi.waitFor(() => expect(collector.events.map((e) => e.name)).toEqual(['timed']));
    client.destroy();
  });

  it('gives every event the documented envelope', async () => {
    const { client, collector, ready } = granted();
    await ready;
    client.track('signup', { plan: 'pro' });
    await client.flush();
    const [event] = collector.events;
    expect(event).toMatchObject({ type: 'track', name: 'signup', properties: { plan: 'pro' } });
    expect(event?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(String(event?.timestamp))).not.toBeNaN();
    expect(event?.anonymousId).toEqual(client.getSnapshot().profile.anonymousId);
    expect(event?.context).toMatchObject({ channel: 'web', device: { type: 'desktop' } });
    expect(event?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.consent).toEqual(['analytics', 'personalization']);
  });
});

describe('bad input', () => {
  it('drops invalid names, cyclic and oversized properties with a typed warning and keeps the rest', async () => {
    const { client, collector, ready, onError } = granted();
    await ready;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    client.track('');
    client.track(42 as unknown as string);
    client.track('cyclic', cyclic);
    client.track('huge', { blob: 'x'.repeat(40_000) });
    client.track('fine');
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['fine']);
    expect(onError).toHaveBeenCalledTimes(4);
    for (const [error] of onError.mock.calls) expect(error).toMatchObject({ name: 'AttuneError', code: 'event-invalid' });
  });
});
