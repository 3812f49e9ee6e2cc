import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { SHOP } from '../models/recommend/recommenders.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

const bundle = (recommenders: unknown[]) => ({ schema: 'attune.bundle/1', id: 'recs', version: 1, experiences: [], content: {}, recommenders });
const ids = (list: { items: readonly { id: string }[] }): string[] => list.items.map((item) => item.id);

/** A client with the bundle, personalization granted, ready; `notified` resolves on the next notification. */
async function started(recommenders: unknown[], extra: Record<string, unknown> = {}) {
  // The first list loads the recommendations part (a dynamic import), then prepares the recommender.
  const client = createAttune({ bundle: bundle(recommenders), environment: { storage: memoryStorage() }, ...extra });
  await client.consent.grant(['personalization']);
  await client.ready;
  const notified = () => new Promise<void>((resolve) => { const stop = client.subscribe(() => { stop(); resolve(); }); });
  return { client, notified };
}

describe('client.recommend', () => {
  it('answers loading first, tells subscribers, then ranks from the live profile: the neighbors of what was just viewed', async () => {
    const { client, notified } = await started([{ id: 'also', items: SHOP, limit: 3 }]);
    const told = notified();
    expect(client.recommend('also')).toMatchObject({ status: 'loading', items: [] });
    await told;
    await vi.waitFor(() => expect(client.recommend('also').status).toBe('ready'));
    const popular = client.recommend('also');
    expect(popular).toMatchObject({ status: 'ready', fallback: true });
    expect(ids(popular)).toEqual(['e', 'a', 'b']);
    // The same list object while nothing it reads changed (cheap re-renders).
    expect(client.recommend('also')).toBe(popular);

    client.track('product_view', { product_id: 'a' });
    const after = client.recommend('also');
    expect(after.fallback).toBe(false);
    expect(ids(after)[0]).toBe('b'); // a's closest neighbor
    expect(after.items[0]).toMatchObject({ because: 'neighbors', seed: 'a' });
    expect(ids(client.recommend('also', { limit: 1, exclude: ['b'] }))).toEqual(['c']);
  });

  it('ranks without the profile (the popular list) while personalization is not granted', async () => {
    const client = createAttune({ bundle: bundle([{ id: 'also', items: SHOP }]), environment: { storage: memoryStorage() } });
    await client.ready;
    client.recommend('also');
    await vi.waitFor(() => expect(client.recommend('also').status).toBe('ready'));
    expect(client.recommend('also').fallback).toBe(true);
  });

  it('fetches a catalog file relative to the bundle URL, checks its hash, and ranks it', async () => {
    const file = new TextEncoder().encode(JSON.stringify({ schema: 'attune.catalog/1', items: SHOP }));
    const sha256 = createHash('sha256').update(file).digest('hex');
    const fetch = vi.fn(async (url: string) =>
      url.endsWith('/bundles/recs.json')
        ? new Response(JSON.stringify(bundle([{ id: 'big', catalog: { url: 'catalog.json', sha256 } }])))
        : url === 'https://cdn.test/bundles/catalog.json'
          ? new Response(file)
          : new Response('', { status: 404 }),
    );
    const client = createAttune({ bundleUrl: 'https://cdn.test/bundles/recs.json', environment: { fetch: fetch as unknown as typeof globalThis.fetch, storage: memoryStorage() } });
    await client.ready;
    expect(client.recommend('big').status).toBe('loading');
    await vi.waitFor(() => expect(client.recommend('big').status).toBe('ready'));
    expect(ids(client.recommend('big', { limit: 2 }))).toEqual(['e', 'a']);
    expect(fetch).toHaveBeenCalledWith('https://cdn.test/bundles/catalog.json', expect.anything());
  });

  it('is unavailable, with the reason reported once as recommender-invalid, for a catalog whose hash does not match', async () => {
    const onError = vi.fn();
    const fetch = vi.fn(async (url: string) =>
      url.endsWith('recs.json') ? new Response(JSON.stringify(bundle([{ id: 'big', catalog: { url: 'catalog.json', sha256: 'a'.repeat(64) } }]))) : new Response('{"schema":"attune.catalog/1","items":[]}'),
    );
    const client = createAttune({ bundleUrl: 'https://cdn.test/recs.json', onError, environment: { fetch: fetch as unknown as typeof globalThis.fetch, storage: memoryStorage() } });
    await client.ready;
    client.recommend('big');
    await vi.waitFor(() => expect(client.recommend('big').status).toBe('unavailable'));
    const list = client.recommend('big');
    expect(list.items).toEqual([]);
    expect(list.message).toMatch(/recommender "big": .*SHA-256/);
    client.recommend('big');
    expect(onError.mock.calls.filter(([error]) => error.code === 'recommender-invalid')).toHaveLength(1);
  });

  it('is unavailable for a recommender the bundle does not have, and loading while the bundle loads', async () => {
    const onError = vi.fn();
    const { client } = await started([{ id: 'also', items: SHOP }], { onError });
    client.recommend('nope');
    await vi.waitFor(() => expect(client.recommend('nope').status).not.toBe('loading'));
    expect(client.recommend('nope')).toMatchObject({ status: 'unavailable', message: expect.stringContaining('no recommender "nope"') });
    expect(client.recommend(42 as unknown as string).status).toBe('unavailable');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'recommender-invalid' }));

    let answer: (response: Response) => void = () => {};
    const slow = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    const loading = createAttune({ bundleUrl: 'https://cdn.test/recs.json', environment: { fetch: slow as unknown as typeof globalThis.fetch, storage: memoryStorage() } });
    expect(loading.recommend('also').status).toBe('loading');
    await vi.waitFor(() => expect(slow).toHaveBeenCalled());
    answer(new Response(JSON.stringify(bundle([{ id: 'also', items: SHOP }]))));
    await loading.ready;
    await vi.waitFor(() => expect(loading.recommend('also').status).toBe('ready'));
  });
});
