import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { segmentAdapter } from '../../src/sync/adapters/segment.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

function setup() {
  const onError = vi.fn();
  const client = createAttune({ onError, environment: { storage: memoryStorage() } });
  const codes = () => onError.mock.calls.map(([error]) => (error as { code: string }).code);
  return { client, onError, codes };
}

/** Calls the page makes by mistake: each is reported with a typed error and never throws into the page. */
describe('API misuse', () => {
  it('grants one purpose given as a plain string', async () => {
    const { client, codes } = setup();
    await client.consent.grant('analytics');
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'unknown' });
    expect(codes()).toEqual([]);
  });

  it('denies one purpose given as a plain string and keeps the other', async () => {
    const { client } = setup();
    await client.consent.grant();
    await client.consent.deny('personalization');
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'denied' });
  });

  it.each([null, 7, {}, () => 'analytics'])('reports consent-invalid and changes nothing for grant(%s)', async (asked) => {
    const { client, codes } = setup();
    await expect(client.consent.grant(asked as never)).resolves.toBeUndefined();
    await expect(client.consent.deny(asked as never)).resolves.toBeUndefined();
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
    expect(codes()).toEqual(['consent-invalid', 'consent-invalid']);
  });

  it('grants the known purposes of a list and reports the entries that are not purposes', async () => {
    const { client, onError } = setup();
    await client.consent.grant(['personalization', 42, 'ads'] as never);
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'granted' });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'consent-invalid', message: expect.stringContaining('42, "ads"') });
  });

  it('refuses a subscriber that is not a function, so later changes do not fail on it', async () => {
    const { client, codes } = setup();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const unsubscribe = client.subscribe('render' as never);
    expect(codes()).toEqual(['argument-invalid']);
    expect(() => unsubscribe()).not.toThrow();
    const listener = vi.fn();
    client.subscribe(listener);
    await client.consent.grant();
    client.track('product_viewed');
    await Promise.resolve();
    expect(listener).toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it.each([[Symbol('exp'), 'b'], [42, 'b'], ['exp', 3], [{}, null]])('ignores force(%s, %s) with argument-invalid', (experiment, variant) => {
    const { client, codes } = setup();
    expect(() => client.force(experiment as never, variant as never)).not.toThrow();
    expect(codes()).toEqual(['argument-invalid']);
  });
});

describe('createAttune options of the wrong type', () => {
  it('keeps every option of the right type, functions (onError, adapter) included', async () => {
    const onError = vi.fn();
    const collector = fakeCollector();
    const client = createAttune({
      onError,
      adapter: segmentAdapter(),
      collectorUrl: 'https://collector.test/v1/batch',
      writeKey: 'key',
      headers: { 'x-tenant': 'shop' },
      batchSize: 10,
      flushIntervalMs: 60_000,
      requestTimeoutMs: 5_000,
      queue: { maxEvents: 500 },
      bufferBeforeConsent: 0,
      gpc: 'ignore',
      tcf: false,
      purposes: ['ads'],
      profile: {},
      profileUrl: 'https://shop.test/profile.json',
      sendRawIdentifiers: false,
      databaseName: 'attune-options-test',
      bundle: '{"not": "checked here"}',
      bundleKey: { kty: 'EC' },
      bundleSignature: 'c2ln',
      environment: { fetch: collector.fetch, storage: memoryStorage() },
    });
    expect(onError.mock.calls.map(([error]) => error.code)).not.toContain('argument-invalid');
    await client.consent.grant(['analytics']);
    client.track('product_viewed');
    await client.flush();
    // The Segment adapter shaped the batch: its messages name the event in `event`.
    expect(collector.events).toEqual([expect.objectContaining({ type: 'track', event: 'product_viewed' })]);
  });

  it('runs on the defaults of the options that are wrong and reports each one', async () => {
    const onError = vi.fn();
    const client = createAttune({ onError, batchSize: 'ten', purposes: 'ads', collectorUrl: 7, environment: { storage: memoryStorage() } } as never);
    const reported = onError.mock.calls.map(([error]) => [error.code, error.message.match(/options\): (\w+)/)?.[1]]);
    expect(reported.sort()).toEqual([
      ['argument-invalid', 'batchSize'],
      ['argument-invalid', 'collectorUrl'],
      ['argument-invalid', 'purposes'],
    ]);
    await client.consent.grant();
    client.track('product_viewed');
    expect(client.getSnapshot().profile.counters).toEqual({ product_viewed: 1 });
  });

  it('still delivers with batchSize 0 (batches of one)', async () => {
    const collector = fakeCollector();
    const client = createAttune({ batchSize: 0, collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage: memoryStorage() } });
    await client.consent.grant();
    client.track('product_viewed');
    client.track('added_to_cart');
    await client.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['product_viewed', 'added_to_cart']);
  });

  it('reports purposes that are not a list and keeps no site purpose', async () => {
    for (const purposes of [{ ads: true }, 'ads']) {
      const onError = vi.fn();
      const client = createAttune({ onError, purposes, environment: { storage: memoryStorage() } } as never);
      expect(onError.mock.calls.map(([error]) => [error.code, error.message.includes('purposes must be a list of names')])).toEqual([['argument-invalid', true]]);
      expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
      client.destroy();
    }
  });

  it('starts with the defaults when options is not an object', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const client = createAttune(null as never);
    expect(client.decide('home.hero').reason).toBe('default-no-bundle');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('argument-invalid'));
    warn.mockRestore();
  });
});
