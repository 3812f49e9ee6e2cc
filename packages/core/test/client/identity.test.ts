import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

describe('identify and alias', () => {
  it('stamps the user id on later events and remembers it across page views', async () => {
    const collector = fakeCollector();
    const storage = memoryStorage();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
    await client.consent.grant();
    client.identify('user-42', { plan: 'pro' });
    client.track('after_login');
    await client.flush();
    expect(collector.events.map((e) => [e.type, e.name, e.userId])).toEqual([
      ['identify', 'identify', 'user-42'],
      ['track', 'after_login', 'user-42'],
    ]);
    expect(collector.events[0]?.traits).toEqual({ plan: 'pro' });
    client.destroy();

    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.userId).toBe('user-42');
  });

  it('knows the anonymous id as soon as consent is granted, and stores that same id', async () => {
    const storage = memoryStorage();
    const client = createAttune({ environment: { storage } });
    const granting = client.consent.grant();
    const early = client.getSnapshot().profile.anonymousId;
    expect(early).toMatch(/^[0-9a-f-]{36}$/);
    await granting;
    client.destroy();
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.anonymousId).toBe(early);
  });

  it('records an alias with the previous id', async () => {
    const collector = fakeCollector();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage: memoryStorage() } });
    await client.consent.grant();
    const anonymousId = client.getSnapshot().profile.anonymousId;
    client.alias('user-7');
    await client.flush();
    expect(collector.events[0]).toMatchObject({ type: 'alias', previousId: anonymousId, userId: 'user-7' });
  });

  it('ignores an invalid user id with a typed warning', async () => {
    const onError = vi.fn();
    const client = createAttune({ onError, environment: { storage: memoryStorage() } });
    await client.consent.grant();
    client.identify('' as string);
    expect(client.getSnapshot().profile.userId).toBeNull();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'event-invalid' }));
  });
});

describe('the anonymous id across page views', () => {
  it('is the same on the next page even when IndexedDB had not committed it (the visitor left at once)', async () => {
    const storage = memoryStorage();
    const first = createAttune({ environment: { storage } });
    await first.consent.grant();
    const id = first.getSnapshot().profile.anonymousId;
    expect(id).toBeTruthy();
    first.destroy();
    // The page was left before IndexedDB committed anything: the next page finds no database.
    await freshIndexedDB();
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.anonymousId).toBe(id);
  });

  it('follows reset() and is forgotten with the rest on withdrawal', async () => {
    const storage = memoryStorage();
    const client = createAttune({ environment: { storage } });
    await client.consent.grant();
    const before = client.getSnapshot().profile.anonymousId;
    client.reset();
    const after = client.getSnapshot().profile.anonymousId;
    expect(after).not.toBe(before);
    client.destroy();
    await freshIndexedDB();
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.anonymousId).toBe(after);
    await next.consent.withdraw();
    expect([...storage.entries.keys()]).toEqual([]);
  });
});
