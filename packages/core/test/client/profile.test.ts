import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneOptions } from '../../src/client/types.js';
import { fakeCollector, freshIndexedDB, hiddenOnDemand, memoryStorage } from '../support.js';

const DAY = 86_400_000;
let clock = Date.parse('2026-11-23T12:00:00Z');
const clients: { destroy(): void }[] = [];

beforeEach(() => {
  freshIndexedDB();
  clock = Date.parse('2026-11-23T12:00:00Z');
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

function open(extra: Partial<AttuneOptions> = {}, storage = memoryStorage()) {
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({
    collectorUrl: 'https://collector.test/collect',
    flushIntervalMs: 60_000,
    onError,
    environment: { fetch: collector.fetch, storage, now: () => clock },
    ...extra,
  });
  clients.push(client);
  return { client, collector, onError, storage };
}

async function granted(extra: Partial<AttuneOptions> = {}, storage = memoryStorage()) {
  const opened = open(extra, storage);
  await opened.client.consent.grant();
  return opened;
}

/** Lets IndexedDB writes and tab messages land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('the local profile', () => {
  it('counts events in time windows and keeps first and last seen', async () => {
    const { client } = await granted();
    client.track('product_view', { category: 'Shoes' });
    clock += 2 * DAY;
    client.track('product_view', { category: 'shoes' });
    clock += 6 * DAY;
    client.track('product_view', { category: 'bags' });
    expect(client.count('product_view')).toBe(3);
    expect(client.count('product_view', '7d')).toBe(2);
    expect(client.count('product_view', '30m')).toBe(1);
    expect(client.count('product_view', '30d')).toBe(3);
    expect(client.count('never')).toBe(0);
    const { events, counters } = client.getSnapshot().profile;
    expect(counters.product_view).toBe(3);
    expect(events.product_view).toEqual({ count: 3, firstSeen: clock - 8 * DAY, lastSeen: clock });
  });

  it('reports an invalid window and answers 0', async () => {
    const { client, onError } = await granted();
    client.track('a');
    expect(client.count('a', 'a week')).toBe(0);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid' }));
  });

  it('keeps affinities, items and RFM from event properties', async () => {
    const { client } = await granted();
    client.track('product_view', { product_id: 'sku-1', category: 'Shoes', brand: 'Acme' });
    clock += 1000;
    client.track('product_view', { product_id: 'sku-2', category: 'shoes' });
    clock += 1000;
    client.track('product_view', { product_id: 'sku-3', category: 'bags' });
    client.track('purchase', { revenue: 59.9, products: [{ product_id: 'sku-2' }] });
    clock += 3 * DAY;
    client.track('page_view');
    const profile = client.getSnapshot().profile;
    expect(profile.top.category?.[0]).toBe('shoes');
    expect(profile.affinities.category?.shoes).toBeGreaterThan(profile.affinities.category?.bags ?? 0);
    expect(profile.viewed).toEqual(['sku-3', 'sku-2', 'sku-1']);
    expect(profile.purchased).toEqual(['sku-2']);
    expect(profile.rfm).toEqual({ recencyDays: 3, frequency: 1, monetary: 59.9 });
  });

  it('counts visits by session', async () => {
    const { client } = await granted();
    client.track('a');
    client.track('b');
    clock += 31 * 60_000; // A new session after 30 minutes without events.
    client.track('c');
    expect(client.getSnapshot().profile.visits).toBe(2);
  });

  it('is the same after a reload', async () => {
    const storage = memoryStorage();
    const first = await granted({}, storage);
    first.client.track('product_view', { category: 'shoes', product_id: 'sku-1' });
    clock += 1000;
    first.client.track('product_view', { category: 'shoes', product_id: 'sku-2' });
    await settle();
    first.client.destroy();
    const second = open({}, storage).client;
    await second.ready;
    const profile = second.getSnapshot().profile;
    expect(second.count('product_view', '7d')).toBe(2);
    expect(profile.viewed).toEqual(['sku-2', 'sku-1']);
    expect(profile.top.category).toEqual(['shoes']);
    expect(profile.visits).toBe(1);
  });

  describe('when the page is left before IndexedDB has written the last events', () => {
    afterEach(() => vi.unstubAllGlobals());

    /**
     * The visitor leaves `first` (it is hidden, then gone) and opens the next page; with
     * `writesLost`, the browser dropped IndexedDB's pending writes with the page.
     */
    async function nextPage(hide: () => void, first: { destroy(): void }, storage: ReturnType<typeof memoryStorage>, writesLost: boolean) {
      hide();
      first.destroy();
      if (writesLost) freshIndexedDB();
      const next = open({}, storage);
      await next.client.ready;
      return next.client;
    }

    /** A first page that viewed sku-1 (and, with `written`, let IndexedDB write it). */
    async function firstPage(written: boolean) {
      const hide = hiddenOnDemand();
      const storage = memoryStorage();
      const { client } = await granted({}, storage);
      await client.ready;
      client.track('product_view', { product_id: 'sku-1' });
      if (written) await settle();
      return { hide, storage, client };
    }

    it('applies them on the next page, once, from what was saved when the page was hidden', async () => {
      const { hide, storage, client: first } = await firstPage(false);
      clock += 1000;
      first.track('product_view', { product_id: 'sku-2' });
      // The browser dropped the IndexedDB write with the page: the next page finds no profile.
      const second = await nextPage(hide, first, storage, true);
      expect(second.count('product_view')).toBe(2);
      expect(second.getSnapshot().profile.viewed).toEqual(['sku-2', 'sku-1']);
      expect(storage.entries.has('attune.unsaved.v1')).toBe(false);
    });

    it('counts them once when the IndexedDB write did land', async () => {
      const { hide, storage, client: first } = await firstPage(true);
      const second = await nextPage(hide, first, storage, false);
      expect(second.count('product_view')).toBe(1);
    });

    it.each([
      ['events of the wrong shape', (good: unknown) => [good, 5, null, { id: 'x', name: 'product_view', timestampMs: 'soon', properties: 'p' }, { id: 7 }], 2],
      ['an event with a bad time', (good: unknown) => [{ ...(good as object), id: 'late', timestampMs: Number.NaN }, good], 2],
      ['no list at all', () => 'x', undefined],
    ])('ignores saved events changed outside the SDK (%s), keeping the profile and the good ones', async (_, tamper, views) => {
      const { hide, storage, client: first } = await firstPage(true);
      first.track('product_view', { product_id: 'sku-2' });
      hide();
      first.destroy();
      const [owner, ...events] = JSON.parse(storage.getItem('attune.unsaved.v1')!) as unknown[];
      storage.setItem('attune.unsaved.v1', JSON.stringify([owner, ...[tamper(events.at(-1))].flat()]));
      const second = open({}, storage);
      await second.client.ready;
      // The good saved event (sku-2) counts once; without it, sku-2's own write may or may not have landed.
      if (views === undefined) expect(second.client.count('product_view')).toBeGreaterThanOrEqual(1);
      else expect(second.client.count('product_view')).toBe(views);
      expect(second.client.getSnapshot().profile.viewed).toContain('sku-1');
      clock += 1000;
      second.client.track('product_view', { product_id: 'sku-3' });
      expect(second.client.getSnapshot().profile.viewed[0]).toBe('sku-3');
      expect(second.onError.mock.calls.map(([error]) => error.code)).toEqual([]);
    });

    it('does not give the events of a visitor who reset to the next one, and keeps nothing after a withdrawal', async () => {
      const { hide, storage, client: first } = await firstPage(false);
      first.reset();
      const second = await nextPage(hide, first, storage, true);
      expect(second.count('product_view')).toBe(0);

      second.track('product_view', { product_id: 'sku-2' });
      hide();
      expect(storage.entries.has('attune.unsaved.v1')).toBe(true);
      await second.consent.withdraw();
      expect(storage.entries.has('attune.unsaved.v1')).toBe(false);
    });
  });

  it('is not kept without personalization consent, and is cleared when it is denied', async () => {
    const { client } = open();
    await client.consent.grant(['analytics']);
    client.track('a');
    expect(client.count('a')).toBe(0);
    await client.consent.grant(['personalization']);
    client.track('a');
    expect(client.count('a')).toBe(1);
    await client.consent.deny(['personalization']);
    expect(client.getSnapshot().profile.counters).toEqual({});
    expect(client.getSnapshot().profile.anonymousId).not.toBeNull();
  });
});

describe('identity', () => {
  it('identify keeps the anonymous history in the known profile, counted once', async () => {
    const { client } = await granted();
    const anonymousId = client.getSnapshot().profile.anonymousId;
    client.track('product_view');
    client.track('product_view');
    client.identify('user-1', { plan: 'pro' });
    client.identify('user-1');
    await settle();
    const profile = client.getSnapshot().profile;
    expect(profile.userId).toBe('user-1');
    expect(profile.counters.product_view).toBe(2);
    expect(profile.aliases).toEqual([anonymousId]);
    expect(profile.traits).toEqual({ plan: 'pro' });
  });

  it('reset starts a fresh anonymous profile; logging in again merges the saved one with the new history', async () => {
    const { client } = await granted();
    client.track('product_view');
    client.identify('user-1');
    client.track('product_view');
    await settle();
    const firstAnonymousId = client.getSnapshot().profile.anonymousId;
    client.reset();
    await settle();
    let profile = client.getSnapshot().profile;
    expect(profile.userId).toBeNull();
    expect(profile.anonymousId).not.toBe(firstAnonymousId);
    expect(profile.counters).toEqual({});
    client.track('product_view');
    client.track('add_to_cart');
    client.identify('user-1');
    await settle();
    profile = client.getSnapshot().profile;
    expect(profile.userId).toBe('user-1');
    expect(profile.counters).toEqual({ product_view: 3, add_to_cart: 1 });
  });

  it('a different user does not inherit the previous user profile', async () => {
    const { client } = await granted();
    client.identify('user-1');
    client.track('purchase', { revenue: 10 });
    client.identify('user-2');
    await settle();
    expect(client.getSnapshot().profile.counters).toEqual({});
    client.identify('user-1');
    await settle();
    expect(client.getSnapshot().profile.counters).toEqual({ purchase: 1 });
  });

  it('sends email and phone only as SHA-256 hashes and keeps them normalized on the device', async () => {
    const { client, collector } = await granted();
    client.identify('user-1', { email: '  Jane@Example.COM ', phone: '+44 20 7946 0958', plan: 'pro' });
    await vi.waitFor(async () => {
      await client.flush();
      expect(collector.events.some((event) => event.name === 'identify')).toBe(true);
    });
    const sent = collector.events.find((event) => event.name === 'identify')!;
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(sent.traits).toEqual({ emailSha256: sha('jane@example.com'), phoneSha256: sha('+442079460958'), plan: 'pro' });
    expect(JSON.stringify(collector.events)).not.toContain('jane@example.com');
    expect(client.getSnapshot().profile.traits).toMatchObject({ email: 'jane@example.com', plan: 'pro' });
  });

  it('sends the raw values too only when the site allows it', async () => {
    const { client, collector } = await granted({ sendRawIdentifiers: true });
    client.identify('user-1', { email: 'jane@example.com' });
    await vi.waitFor(async () => {
      await client.flush();
      expect(collector.events.find((event) => event.name === 'identify')?.traits).toMatchObject({ email: 'jane@example.com' });
    });
  });
});

describe('hydration', () => {
  it('merges segments, traits and affinities given from outside until they expire', async () => {
    const { client } = await granted();
    client.hydrate({ segments: ['vip'], traits: { tier: 'gold' }, affinities: { category: { boots: 4 } }, expiresAt: new Date(clock + DAY).toISOString() });
    let profile = client.getSnapshot().profile;
    expect(profile.segments).toEqual(['vip']);
    expect(profile.traits).toEqual({ tier: 'gold' });
    expect(profile.top.category).toEqual(['boots']);
    clock += 2 * DAY;
    client.track('tick');
    profile = client.getSnapshot().profile;
    expect(profile.segments).toEqual([]);
    expect(profile.traits).toEqual({ tier: 'gold' });
  });

  it('rejects invalid input with a clear error and keeps what it had', async () => {
    const { client, onError } = await granted();
    client.hydrate({ segments: ['vip'] });
    client.hydrate({ segments: 'vip' });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid', message: expect.stringContaining('segments') }));
    expect(client.getSnapshot().profile.segments).toEqual(['vip']);
  });

  it('waits for personalization consent, and is dropped when it is denied', async () => {
    const { client } = open();
    client.hydrate({ segments: ['vip'] });
    expect(client.getSnapshot().profile.segments).toEqual([]);
    await client.consent.grant();
    expect(client.getSnapshot().profile.segments).toEqual(['vip']);
  });

  it('applies a hydration given under analytics consent alone once personalization is granted later', async () => {
    const { client } = open();
    await client.consent.grant(['analytics']);
    client.hydrate({ segments: ['vip'] });
    expect(client.getSnapshot().profile.segments).toEqual([]);
    await client.consent.grant(['personalization']);
    expect(client.getSnapshot().profile.segments).toEqual(['vip']);
  });

  it('fetches profileUrl once personalization is granted', async () => {
    const fetched: string[] = [];
    const fetchProfile = (async (url: RequestInfo | URL) => {
      fetched.push(String(url));
      return new Response(JSON.stringify({ segments: ['from-cdp'] }), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const client = createAttune({ profileUrl: 'https://cdp.test/profile', environment: { fetch: fetchProfile, storage: memoryStorage(), now: () => clock } });
    clients.push(client);
    expect(fetched).toEqual([]);
    await client.consent.grant();
    await vi.waitFor(() => expect(client.getSnapshot().profile.segments).toEqual(['from-cdp']));
    expect(fetched).toEqual(['https://cdp.test/profile']);
  });
});

describe('several tabs', () => {
  it('an event tracked in one tab updates the profile of the other, once', async () => {
    const storage = memoryStorage();
    const a = (await granted({}, storage)).client;
    const b = (await granted({}, storage)).client;
    a.track('product_view', { category: 'shoes' });
    a.track('product_view', { category: 'shoes' });
    b.track('add_to_cart');
    await vi.waitFor(() => {
      expect(b.getSnapshot().profile.counters).toEqual({ product_view: 2, add_to_cart: 1 });
      expect(a.getSnapshot().profile.counters).toEqual({ product_view: 2, add_to_cart: 1 });
    });
    await settle();
    const c = open({}, storage).client;
    await c.ready;
    expect(c.getSnapshot().profile.counters).toEqual({ product_view: 2, add_to_cart: 1 });
  });

  it('a withdrawal in one tab erases the other tab too', async () => {
    const storage = memoryStorage();
    const a = (await granted({}, storage)).client;
    const b = (await granted({}, storage)).client;
    b.track('a');
    await a.consent.withdraw();
    await vi.waitFor(() => expect(b.consent.get().personalization).toBe('denied'));
    expect(b.getSnapshot().profile.counters).toEqual({});
  });
});
