import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneOptions } from '../../src/client/types.js';
import type { AttuneError } from '../../src/errors.js';
import { fakeHost, makeKeys, signBytes, type FakeHost } from '../bundle/signing.js';
import { shopBundle } from '../fixtures.js';
import { databaseNames, freshIndexedDB, memoryStorage } from '../support.js';

const URL = 'https://cdn.test/shop.json';
const keys = makeKeys();

beforeEach(() => freshIndexedDB());

function publish(host: FakeHost, bundle: Record<string, unknown>, { tamper = false } = {}): void {
  const text = JSON.stringify(bundle);
  host.files.set(URL, { body: tamper ? text.replace('Welcome', 'Hacked') : text, etag: `"${Math.random()}"` });
  host.files.set(`${URL}.sig`, { body: signBytes(text, keys) });
}

/** One page load: a client on the shop page of a visitor whose consent is kept in `storage`. */
function openPage(host: FakeHost, storage: ReturnType<typeof memoryStorage>, extra: Partial<AttuneOptions> = {}) {
  const errors: AttuneError[] = [];
  const client = createAttune({
    bundleUrl: URL,
    bundleKey: keys.publicJwk,
    onError: (error) => errors.push(error),
    tcf: false,
    environment: { fetch: host.fetch, storage },
    ...extra,
  });
  return { client, errors };
}

/** A first page on which the visitor grants consent, so the bundle published now is cached. */
async function firstPageWithConsent(host: FakeHost, storage: ReturnType<typeof memoryStorage>): Promise<void> {
  const first = openPage(host, storage);
  await first.client.consent.grant();
  await first.client.ready;
  first.client.destroy();
}

describe('bundle loading in the client', () => {
  it('uses a signed bundle before consent without writing anything to IndexedDB', async () => {
    const host = fakeHost();
    publish(host, shopBundle({ version: 3 }));
    const { client, errors } = openPage(host, memoryStorage());
    await client.ready;
    expect(client.getSnapshot().bundle).toMatchObject({ status: 'ready', version: 3, source: 'network' });
    expect(client.decide('home.hero').reason).toBe('default-no-consent');
    expect(errors).toEqual([]);
    expect(await databaseNames()).toEqual([]);
  });

  it('caches the bundle on grant, so the next page starts from the cache while it revalidates', async () => {
    const host = fakeHost();
    publish(host, shopBundle({ version: 3 }));
    const storage = memoryStorage();
    const first = openPage(host, storage);
    await first.client.ready;
    await first.client.consent.grant();
    first.client.destroy();

    host.requests.length = 0;
    const held = host.hold();
    const second = openPage(host, storage);
    await second.client.ready;
    expect(second.client.getSnapshot().bundle).toMatchObject({ status: 'ready', version: 3, source: 'cache' });
    expect(second.client.decide('home.hero').reason).toBe('not-in-audience');
    expect(host.requests.find((request) => request.url === URL)?.ifNoneMatch).toMatch(/^"/);
    held.release();
    second.client.destroy();
  });

  it('keeps deciding from the last good bundle when a tampered copy arrives, and reports it', async () => {
    const host = fakeHost();
    publish(host, shopBundle({ version: 3 }));
    const storage = memoryStorage();
    await firstPageWithConsent(host, storage);

    publish(host, shopBundle({ version: 4 }), { tamper: true });
    host.requests.length = 0;
    const second = openPage(host, storage);
    await second.client.ready;
    // The background refresh refuses the tampered copy.
    await vi.waitFor(() => expect(second.errors).toMatchObject([{ code: 'bundle-signature-invalid' }]));
    expect(second.client.getSnapshot().bundle).toMatchObject({ status: 'ready', version: 3, source: 'cache', error: { code: 'bundle-signature-invalid' } });
    second.client.track('product_viewed');
    second.client.track('product_viewed');
    second.client.track('product_viewed');
    expect(second.client.decide('home.hero')).toMatchObject({ reason: 'matched', content: { value: 'Welcome back' } });
  });

  it('keeps deciding from the last good bundle when an expired copy arrives, and reports it', async () => {
    const host = fakeHost();
    publish(host, shopBundle({ version: 3 }));
    const storage = memoryStorage();
    await firstPageWithConsent(host, storage);

    publish(host, shopBundle({ version: 4, expiresAt: '2020-01-01T00:00:00Z' }));
    const second = openPage(host, storage);
    await second.client.ready;
    await vi.waitFor(() => expect(second.errors).toMatchObject([{ code: 'bundle-expired', message: expect.stringContaining('keeps serving') }]));
    expect(second.client.getSnapshot().bundle).toMatchObject({ status: 'ready', version: 3, source: 'cache', error: { code: 'bundle-expired' } });
    for (let i = 0; i < 3; i++) second.client.track('product_viewed');
    expect(second.client.decide('home.hero')).toMatchObject({ reason: 'matched', content: { value: 'Welcome back' } });
  });

  it('serves defaults with reason default-expired for an expired bundle and says why', async () => {
    const host = fakeHost();
    publish(host, shopBundle({ version: 3, expiresAt: '2020-01-01T00:00:00Z' }));
    const { client, errors } = openPage(host, memoryStorage());
    await client.consent.grant();
    await client.ready;
    expect(client.decide('home.hero').reason).toBe('default-expired');
    expect(errors).toMatchObject([{ code: 'bundle-expired', message: expect.stringContaining('expiresAt') }]);
  });

  it('refuses a bundle longer than maxBundleBytes with an error naming both sizes', async () => {
    const host = fakeHost();
    const bundle = shopBundle({ version: 3 });
    publish(host, bundle);
    const size = JSON.stringify(bundle).length;
    const { client, errors } = openPage(host, memoryStorage(), { maxBundleBytes: 500 });
    await client.ready;
    expect(client.getSnapshot().bundle).toMatchObject({ status: 'failed', error: { code: 'bundle-invalid' } });
    expect(errors).toMatchObject([{ code: 'bundle-invalid', message: expect.stringContaining(`The bundle is ${size} bytes, over the cap of 500 (maxBundleBytes)`) }]);
    expect(client.decide('home.hero').reason).toBe('default-no-bundle');
  });

  it('fails the bundle status, never throwing, when the only copy is unsigned', async () => {
    const host = fakeHost();
    host.files.set(URL, { body: JSON.stringify(shopBundle()) });
    const { client, errors } = openPage(host, memoryStorage());
    await client.ready;
    expect(client.getSnapshot().bundle).toMatchObject({ status: 'failed', error: { code: 'bundle-signature-invalid' } });
    expect(client.decide('home.hero').reason).toBe('default-no-bundle');
    expect(errors).toHaveLength(1);
  });

  it('verifies an inline bundle given as text with bundleSignature', async () => {
    const text = JSON.stringify(shopBundle({ version: 9 }));
    const { client, errors } = openPage(fakeHost(), memoryStorage(), { bundleUrl: undefined, bundle: text, bundleSignature: signBytes(text, keys) });
    await client.ready;
    expect(errors).toEqual([]);
    expect(client.getSnapshot().bundle).toMatchObject({ status: 'ready', version: 9, source: 'inline' });
  });
});
