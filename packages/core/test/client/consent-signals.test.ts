import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { databaseNames, fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());
afterEach(() => {
  vi.unstubAllGlobals();
  delete (globalThis as { __tcfapi?: unknown }).__tcfapi;
});

describe('Global Privacy Control', () => {
  it('keeps analytics denied when the browser sends GPC, even after a grant', async () => {
    vi.stubGlobal('navigator', { globalPrivacyControl: true });
    const onError = vi.fn();
    const collector = fakeCollector();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', onError, environment: { fetch: collector.fetch, storage: memoryStorage() } });
    await client.consent.grant();
    expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'consent-blocked' }));
    client.track('viewed');
    await client.flush();
    expect(collector.requests).toBe(0);
    expect(client.getSnapshot().profile.counters).toEqual({ viewed: 1 });
  });

  it('lets the site override GPC explicitly', async () => {
    vi.stubGlobal('navigator', { globalPrivacyControl: true });
    const client = createAttune({ gpc: 'ignore', environment: { storage: memoryStorage() } });
    await client.consent.grant();
    expect(client.consent.get().analytics).toBe('granted');
  });
});

describe('IAB TCF v2.2', () => {
  /** A minimal CMP: calls the listener with the given purpose consents. */
  function installCmp(consents: Record<number, boolean>, gdprApplies = true) {
    (globalThis as { __tcfapi?: unknown }).__tcfapi = (command: string, _version: number, callback: (data: unknown, ok: boolean) => void) => {
      if (command === 'addEventListener') callback({ gdprApplies, eventStatus: 'tcloaded', listenerId: 1, purpose: { consents } }, true);
    };
  }

  it('grants personalization from purposes 1, 3, 4 and analytics from 1, 7, 8, 9', async () => {
    installCmp({ 1: true, 3: true, 4: true, 7: true, 8: true, 9: true });
    const client = createAttune({ environment: { storage: memoryStorage() } });
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' }));
    client.destroy();
  });

  it('grants only the purposes whose TCF purposes all have consent', async () => {
    installCmp({ 1: true, 3: true, 4: true, 7: true, 8: false, 9: true });
    const client = createAttune({ environment: { storage: memoryStorage() } });
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' }));
    client.destroy();
  });

  it('erases local data when the CMP withholds every purpose', async () => {
    const storage = memoryStorage();
    const first = createAttune({ tcf: false, environment: { storage } });
    await first.consent.grant();
    first.track('x');
    await first.ready;
    installCmp({ 1: false });
    const client = createAttune({ environment: { storage } });
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'denied' }));
    await vi.waitFor(async () => expect(await databaseNames()).not.toContain('attune'));
  });
});

describe('pre-consent buffer', () => {
  it('keeps events in memory only and sends them once consent is granted', async () => {
    const collector = fakeCollector();
    const storage = memoryStorage();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', bufferBeforeConsent: 10, flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
    client.page();
    client.track('early');
    expect(client.getSnapshot().diagnostics.bufferedEvents).toBe(2);
    expect(await databaseNames()).not.toContain('attune');
    expect(storage.entries.size).toBe(0);
    await client.consent.grant();
    await client.flush();
    expect(collector.events.map((e) => e.name)).toEqual(['page_view', 'early']);
    expect(collector.events[0]?.anonymousId).toBeTruthy();
  });

  it('discards the buffer on deny', async () => {
    const collector = fakeCollector();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', bufferBeforeConsent: 10, environment: { fetch: collector.fetch, storage: memoryStorage() } });
    client.track('early');
    await client.consent.deny();
    await client.consent.grant();
    await client.flush();
    expect(collector.events).toEqual([]);
  });

  it('keeps at most the configured number of events', () => {
    const client = createAttune({ bufferBeforeConsent: 3, environment: { storage: memoryStorage() } });
    for (let i = 0; i < 10; i++) client.track(`e${i}`);
    expect(client.getSnapshot().diagnostics.bufferedEvents).toBe(3);
  });
});
