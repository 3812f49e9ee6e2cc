import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneOptions } from '../../src/client/types.js';
import { databaseNames, fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

function setup(extra: Partial<AttuneOptions> = {}, storage = memoryStorage()) {
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({
    collectorUrl: 'https://collector.test/collect',
    flushIntervalMs: 60_000,
    purposes: ['ads', 'functional'],
    onError,
    environment: { fetch: collector.fetch, storage },
    ...extra,
  });
  return { client, collector, storage, onError };
}

describe('site-defined consent purposes', () => {
  it('start unknown next to analytics and personalization', () => {
    const { client } = setup();
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown', ads: 'unknown', functional: 'unknown' });
    expect(client.consent.granted('ads')).toBe(false);
  });

  it('are granted on their own without opening storage or sending anything', async () => {
    const { client, collector, storage } = setup();
    await client.consent.grant(['ads']);
    client.track('product_viewed');
    await client.flush();
    expect(client.consent.granted('ads')).toBe(true);
    expect(client.consent.get().analytics).toBe('unknown');
    expect(collector.requests).toBe(0);
    expect(await databaseNames()).not.toContain('attune');
    expect(JSON.parse(storage.entries.get('attune.consent.v1') ?? '[]')).toEqual(['ads']);
  });

  it('are included in a grant of everything and stamped on events', async () => {
    const { client, collector } = setup();
    await client.consent.grant();
    client.track('product_viewed');
    await client.flush();
    expect(collector.events[0]?.consent).toEqual(['analytics', 'personalization', 'ads', 'functional']);
  });

  it('are remembered for the next page view, and forgotten when denied', async () => {
    const storage = memoryStorage();
    const first = setup({}, storage).client;
    await first.consent.grant(['ads', 'analytics']);
    first.destroy();
    const second = setup({}, storage).client;
    expect(second.consent.get()).toMatchObject({ ads: 'granted', analytics: 'granted', functional: 'unknown' });
    await second.consent.deny(['ads']);
    expect(second.consent.get()).toMatchObject({ ads: 'denied', analytics: 'granted' });
    expect(JSON.parse(storage.entries.get('attune.consent.v1') ?? '[]')).toEqual(['analytics']);
  });

  it('denying a site purpose leaves the profile and queue alone', async () => {
    const { client } = setup();
    await client.consent.grant();
    client.track('product_viewed');
    await client.consent.deny(['ads']);
    expect(client.getSnapshot().profile.counters).toEqual({ product_viewed: 1 });
    expect(await databaseNames()).toContain('attune');
  });

  it('tells subscribers when a site purpose changes', async () => {
    const { client } = setup();
    const listener = vi.fn();
    client.subscribe(listener);
    await client.consent.grant(['functional']);
    await Promise.resolve();
    expect(listener).toHaveBeenCalled();
    expect(client.getSnapshot().consent.functional).toBe('granted');
  });

  it('reports unknown purposes and invalid purpose names instead of storing them', async () => {
    const { client, onError } = setup({ purposes: ['ads', 'Bad Name', 'analytics'] });
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls.every(([error]) => error.code === 'consent-invalid')).toBe(true);
    await client.consent.grant(['marketing', 'ads']);
    expect(onError).toHaveBeenCalledTimes(3);
    expect(onError.mock.calls[2]?.[0].message).toContain('"marketing"');
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown', ads: 'granted' });
  });

  it('can be driven by an IAB TCF CMP through the purpose mapping', async () => {
    const listeners: ((data: object, success: boolean) => void)[] = [];
    (globalThis as { __tcfapi?: unknown }).__tcfapi = (command: string, _v: number, callback: (data: object, success: boolean) => void) => {
      if (command === 'addEventListener') listeners.push(callback);
    };
    try {
      const { client } = setup({ tcf: { purposes: { analytics: [1, 7], personalization: [1, 3, 4], ads: [1, 2, 4] } } });
      // The listener is a part loaded on pages with a CMP: it registers once loaded.
      await vi.waitFor(() => expect(listeners).toHaveLength(1));
      listeners[0]!({ gdprApplies: true, eventStatus: 'useractioncomplete', listenerId: 1, purpose: { consents: { 1: true, 2: true, 4: true } } }, true);
      await vi.waitFor(() => expect(client.consent.get().ads).toBe('granted'));
      expect(client.consent.get()).toMatchObject({ analytics: 'denied', personalization: 'denied' });
    } finally {
      delete (globalThis as { __tcfapi?: unknown }).__tcfapi;
    }
  });
});
