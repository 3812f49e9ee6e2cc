import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { freshIndexedDB, memoryStorage } from '../support.js';
import { shopBundle } from '../fixtures.js';

beforeEach(() => freshIndexedDB());

describe('client.decide', () => {
  it('personalizes from the local profile as soon as the tracked events make the rule true', async () => {
    const client = createAttune({ bundle: shopBundle(), environment: { storage: memoryStorage() } });
    await client.consent.grant(['personalization']);
    await client.ready;
    client.track('product_viewed');
    client.track('product_viewed');
    expect(client.decide('home.hero').reason).toBe('not-in-audience');
    client.track('product_viewed');
    expect(client.decide('home.hero')).toMatchObject({ reason: 'matched', content: { value: 'Welcome back' } });
  });

  it('fetches the bundle from bundleUrl', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(shopBundle()), { status: 200 }));
    const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { fetch: fetch as typeof globalThis.fetch, storage: memoryStorage() } });
    await client.ready;
    expect(fetch).toHaveBeenCalledWith('https://cdn.test/shop.json', expect.anything());
    expect(client.getSnapshot().bundle).toMatchObject({ status: 'ready', id: 'shop', version: '1' });
  });

  it('serves defaults and reports a typed error when the bundle is invalid', async () => {
    const onError = vi.fn();
    const client = createAttune({ bundle: { schema: 'nope' }, onError, environment: { storage: memoryStorage() } });
    await client.consent.grant();
    await client.ready;
    expect(client.decide('home.hero')).toMatchObject({ reason: 'default-no-bundle', content: null });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'bundle-invalid' }));
    expect(client.getSnapshot().bundle.status).toBe('failed');
  });

  it('serves defaults when the bundle cannot be fetched', async () => {
    const onError = vi.fn();
    const fetch = vi.fn(async () => new Response('not found', { status: 404 }));
    const client = createAttune({ bundleUrl: 'https://cdn.test/missing.json', onError, environment: { fetch: fetch as typeof globalThis.fetch, storage: memoryStorage() } });
    await client.ready;
    expect(client.decide('home.hero').reason).toBe('default-no-bundle');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'bundle-fetch-failed', message: expect.stringContaining('404') }));
  });

  it('notifies subscribers once per burst of changes and isolates a throwing subscriber', async () => {
    const client = createAttune({ environment: { storage: memoryStorage() } });
    await client.consent.grant();
    const seen: number[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    client.subscribe(() => {
      throw new Error('bad listener');
    });
    client.subscribe(() => seen.push(client.getSnapshot().profile.counters.clicked ?? 0));
    client.track('clicked');
    client.track('clicked');
    // Subscribers hear about a burst of changes once, right after it.
    await Promise.resolve();
    expect(seen).toEqual([2]);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
