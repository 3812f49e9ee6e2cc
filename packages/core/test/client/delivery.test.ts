import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneClient } from '../../src/client/types.js';
import type { AttuneEnvironment } from '../../src/environment.js';
import { expectDeliveredOnce, fakeCollector, freshIndexedDB, hiddenOnDemand, memoryStorage, type FakeCollector } from '../support.js';

beforeEach(() => freshIndexedDB());
afterEach(() => vi.unstubAllGlobals());

/** Lets the IndexedDB writes and sends of a page land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** The client's timers, fired by the test: retry delays are read instead of waited for. */
function manualTimers() {
  const armed: { ms: number; callback: () => void }[] = [];
  const environment: Pick<AttuneEnvironment, 'setTimeout' | 'clearTimeout'> = {
    setTimeout: (callback, ms) => {
      const timer = { ms, callback };
      armed.push(timer);
      return timer;
    },
    clearTimeout: (timer) => void armed.splice(armed.indexOf(timer as (typeof armed)[number]) >>> 0, 1),
  };
  return {
    environment,
    /** The delay of the one timer armed, once one is. */
    delay: () => vi.waitFor(() => (expect(armed).toHaveLength(1), armed[0]!.ms)),
    /** Fires the one timer armed, once one is. */
    async fire(): Promise<void> {
      await vi.waitFor(() => expect(armed).toHaveLength(1));
      armed.shift()!.callback();
    },
  };
}

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
  it('sends a backlog in few requests by default, each under the JSON format\'s 500,000-byte limit, and every event once', async () => {
    const bodies: string[] = [];
    const collector = fakeCollector();
    const fetchAndLog = ((url: RequestInfo | URL, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return collector.fetch(url, init);
    }) as typeof fetch;
    const client = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, environment: { fetch: fetchAndLog, storage: memoryStorage() } });
    await client.consent.grant();
    await client.ready;
    for (let i = 0; i < 600; i++) client.track('product_viewed', { sku: `A${i}`, note: 'x'.repeat(400) });
    await client.flush();
    expect(collector.events.filter((event) => event.name === 'product_viewed')).toHaveLength(600);
    expect(new Set(collector.events.map((event) => event.id)).size).toBe(collector.events.length);
    // 600 events of ~0.7 kB: the default batch of 500 in one request, the rest in another.
    expect(bodies.length).toBeLessThanOrEqual(3);
    for (const body of bodies) expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(500_000);
    client.destroy();
  });

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

describe('auth and routing failures', () => {
  for (const status of [401, 403, 404]) {
    it(`keeps every event through a transient ${status}, retries a minute later or more, and delivers each once`, async () => {
      const collector = fakeCollector();
      const timers = manualTimers();
      const onError = vi.fn();
      const client = createAttune({
        collectorUrl: 'https://collector.test/collect',
        onError,
        environment: { fetch: collector.fetch, storage: memoryStorage(), ...timers.environment },
      });
      await client.consent.grant();
      await timers.fire(); // The first flush after storage opened: nothing queued yet.
      await settle();
      collector.respondWith = status;
      for (const name of ['a', 'b', 'c']) client.track(name);
      await timers.fire();
      expect(await timers.delay()).toBeGreaterThanOrEqual(60_000);
      expect(collector.requests).toBe(1);
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'sync-failed', message: expect.stringMatching(new RegExp(`status ${status}.*collectorUrl.*writeKey`)) }));
      await timers.fire();
      expect(await timers.delay()).toBeGreaterThanOrEqual(60_000);
      expect(collector.requests).toBe(2);
      collector.respondWith = 200;
      await timers.fire();
      await vi.waitFor(() => expectDeliveredOnce(collector, ['a', 'b', 'c']));
      expect(client.getSnapshot().diagnostics).toMatchObject({ rejectedEvents: 0, droppedEvents: 0 });
      expect(onError).not.toHaveBeenCalledWith(expect.objectContaining({ code: 'sync-rejected' }));
      client.destroy();
    });
  }

  it('still drops what the collector refuses as malformed (400, 422)', async () => {
    for (const status of [400, 422]) {
      const { client, collector, ready } = granted();
      await ready;
      collector.respondWith = status;
      client.track('malformed');
      await client.flush();
      expect(client.getSnapshot().diagnostics.rejectedEvents).toBe(1);
      collector.respondWith = 200;
      await client.flush();
      expect(collector.events).toEqual([]);
      client.destroy();
    }
  });
});

describe('the queue-overflow warning', () => {
  const queued = (collector: FakeCollector, storage = memoryStorage(), now?: () => number) => {
    const onError = vi.fn();
    const client = createAttune({
      collectorUrl: 'https://collector.test/collect',
      flushIntervalMs: 60_000,
      queue: { maxEvents: 20, maxBytes: 1_000_000 },
      onError,
      environment: { fetch: collector.fetch, storage, ...(now ? { now } : {}) },
    });
    const overflows = () => onError.mock.calls.map(([error]) => error as Error & { code: string }).filter((error) => error.code === 'queue-overflow');
    return { client, overflows };
  };

  it('says it is a burst when more events are tracked at once than the queue holds while the collector is fine', async () => {
    const collector = fakeCollector();
    const { client, overflows } = queued(collector);
    await client.consent.grant();
    for (let i = 0; i < 50; i++) client.track(`e${i}`);
    await vi.waitFor(() => expect(overflows()).toHaveLength(1));
    expect(overflows()[0]!.message).toMatch(/a burst over queue\.maxEvents 20 \/ maxBytes 1000000\): dropped the 30 oldest/);
    expect(overflows()[0]!.message).not.toContain('collector');
    client.destroy();
  });

  it('blames the collector when its sends are failing', async () => {
    const collector = fakeCollector();
    const { client, overflows } = queued(collector);
    await client.consent.grant();
    collector.respondWith = 503;
    for (let i = 0; i < 15; i++) client.track(`old${i}`);
    await client.flush().catch(() => undefined);
    for (let i = 0; i < 10; i++) client.track(`new${i}`);
    await vi.waitFor(() => expect(overflows()).toHaveLength(1));
    expect(overflows().map((error) => error.message)).toEqual([expect.stringMatching(/the collector is not taking events.*dropped the 5 oldest/)]);
    client.destroy();
  });

  it('blames the collector when the events it drops were left by an earlier page view', async () => {
    const collector = fakeCollector();
    const storage = memoryStorage();
    let clock = Date.parse('2026-11-23T12:00:00Z');
    const first = queued(collector, storage, () => clock);
    await first.client.consent.grant();
    collector.respondWith = 'network';
    for (let i = 0; i < 20; i++) first.client.track(`left${i}`);
    await settle();
    first.client.destroy();
    clock += 10 * 60_000;
    const next = queued(collector, storage, () => clock);
    await next.client.ready;
    next.client.track('fresh');
    await vi.waitFor(() => expect(next.overflows()).toHaveLength(1));
    expect(next.overflows().map((error) => error.message)).toEqual([expect.stringMatching(/the collector is not taking events.*dropped the 1 oldest/)]);
    next.client.destroy();
  });
});

/**
 * Delivery fault matrix, closed tab: the tab is closed (hidden, then gone) at each phase of
 * delivery while the collector has a transient fault, which answers the page-hide send and the
 * next page view's first send too; then it works again. Every tracked event must arrive, once
 * (a repeat has the same id). A tab closed right after tracking takes its IndexedDB writes with
 * it (a browser drops what has not committed): those phases lose the database.
 */
describe('a tab closed during delivery', () => {
  const names = ['first', 'second', 'third'];
  const trackAll = (client: AttuneClient) => names.forEach((name) => client.track(name));
  /** Each phase; true when closing the tab then drops what IndexedDB had not committed. */
  const phases: Record<string, (client: AttuneClient, collector: FakeCollector) => Promise<boolean | void>> = {
    'right after consent and tracking, before storage has opened': async (client) => {
      void client.consent.grant();
      trackAll(client);
      return true;
    },
    'while the events wait in the write batch': async (client) => {
      await client.consent.grant();
      trackAll(client);
      return true;
    },
    'while a send is in flight': async (client, collector) => {
      await client.consent.grant();
      collector.respondWith = 'hang';
      trackAll(client);
      void client.flush().catch(() => undefined);
      await vi.waitFor(() => expect(collector.requests).toBe(1));
    },
    'while delivery backs off after a failure': async (client, collector) => {
      await client.consent.grant();
      collector.respondWith = 503;
      trackAll(client);
      await expect(client.flush()).rejects.toMatchObject({ code: 'sync-failed' });
    },
  };
  for (const [phase, run] of Object.entries(phases)) {
    for (const fault of [200, 'network', 503, 401, 403, 404] as const) {
      it(`delivers every event once when the tab is closed ${phase} (collector answering ${fault} for a while)`, async () => {
        const hide = hiddenOnDemand();
        const collector = fakeCollector();
        const storage = memoryStorage();
        const options = { collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, requestTimeoutMs: 200, onError: () => {} };
        const page = createAttune({ ...options, environment: { fetch: collector.fetch, storage } });
        const uncommitted = await run(page, collector);
        collector.respondWith = fault;
        hide();
        page.destroy();
        await settle();
        if (uncommitted) freshIndexedDB();

        const next = createAttune({ ...options, environment: { fetch: collector.fetch, storage } });
        await next.ready;
        await settle();
        if (fault !== 200) await expect(next.flush()).rejects.toMatchObject({ code: 'sync-failed' });
        collector.respondWith = 200;
        await next.flush();
        expectDeliveredOnce(collector, names);
        next.destroy();
      });
    }
  }
});

describe('events not yet written when the page is hidden', () => {
  const KEY = 'attune.unsent.v1';
  const namesIn = (json: string | undefined) => (JSON.parse(json ?? '[]') as { name: string }[]).map((event) => event.name);

  /** A page of the site on `storage` (and the current fake IndexedDB), and a way to hide it. */
  function pageOf(collector: FakeCollector, storage: ReturnType<typeof memoryStorage>) {
    const hide = hiddenOnDemand();
    const client = createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, onError: () => {}, environment: { fetch: collector.fetch, storage } });
    return { hide, client };
  }

  /** A page whose visitor has accepted, with the collector failing. */
  async function failingPage() {
    const collector = fakeCollector();
    const storage = memoryStorage();
    const page = pageOf(collector, storage);
    await page.client.consent.grant();
    collector.respondWith = 503;
    return { ...page, collector, storage };
  }

  it('are kept in localStorage only while their write is pending', async () => {
    const { hide, client, storage } = await failingPage();
    client.track('written');
    await client.flush().catch(() => undefined); // Written first (the collector fails the send).
    hide();
    expect(storage.entries.has(KEY)).toBe(false);
    client.track('pending');
    expect(namesIn(storage.entries.get(KEY))).toEqual(['pending']);
    client.destroy();
  });

  it('include events tracked while storage was opening, when the page is hidden before they are written', async () => {
    const collector = fakeCollector();
    const storage = memoryStorage();
    const { hide, client } = pageOf(collector, storage);
    collector.respondWith = 'network';
    void client.consent.grant();
    client.track('while-opening');
    await client.consent.grant(); // Storage is open; the event is on its way to the write batch.
    hide();
    expect(namesIn(storage.entries.get(KEY))).toEqual(['while-opening']);
    client.destroy();
  });

  it('are forgotten when analytics consent is withdrawn', async () => {
    const { hide, client, storage } = await failingPage();
    client.track('pending');
    hide();
    expect(storage.entries.has(KEY)).toBe(true);
    await client.consent.deny(['analytics']);
    expect(storage.entries.has(KEY)).toBe(false);
    client.destroy();
  });

  it('are not queued twice when their write did commit after all', async () => {
    const { hide, client, collector, storage } = await failingPage();
    client.track('b');
    for (let i = 0; i < 3; i++) await Promise.resolve(); // b's write has started: c goes in the next one.
    client.track('c');
    hide();
    expect(namesIn(storage.entries.get(KEY))).toEqual(['b', 'c']);
    await settle();
    client.destroy();

    collector.respondWith = 200;
    const next = pageOf(collector, storage).client;
    await next.ready;
    await settle();
    await next.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['b', 'c']);
    next.destroy();
  });

  it('are left for the next page by a page that is being left when its storage opens', async () => {
    const { hide, client, collector, storage } = await failingPage();
    client.track('kept');
    hide();
    client.destroy();
    freshIndexedDB();
    const saved = storage.entries.get(KEY);

    const leaving = pageOf(collector, storage);
    leaving.hide(); // Left at once: its IndexedDB writes may never commit.
    await leaving.client.ready;
    await settle();
    leaving.client.destroy();
    const db = await openDB('attune');
    expect(await db.getAll('queue')).toEqual([]);
    db.close();
    expect(storage.entries.get(KEY)).toBe(saved);
  });

  it('are queued again by the next page, once each, leaving out saved entries that are not events', async () => {
    const { client: first, collector, storage } = await failingPage();
    first.destroy();
    const { hide, client } = pageOf(collector, storage);
    await client.ready;
    collector.respondWith = 'network';
    client.track('kept');
    hide();
    hide(); // Hidden twice before the write committed: saved twice.
    client.destroy();
    freshIndexedDB();
    const saved = JSON.parse(storage.entries.get(KEY)!) as unknown[];
    expect(saved).toHaveLength(2);
    storage.entries.set(KEY, JSON.stringify([null, 5, { id: 7 }, { id: 'x', name: 'no-context' }, ...saved]));

    collector.respondWith = 200;
    const next = pageOf(collector, storage).client;
    await next.ready;
    await next.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['kept']);
    expect(storage.entries.has(KEY)).toBe(false);
    next.destroy();
  });

  it('are sent by a flush the next page calls at once, before it is ready', async () => {
    const { hide, client, collector, storage } = await failingPage();
    collector.respondWith = 'network';
    client.track('kept');
    hide();
    client.destroy();
    freshIndexedDB();
    expect(namesIn(storage.entries.get(KEY))).toEqual(['kept']);

    collector.respondWith = 200;
    const next = pageOf(collector, storage).client;
    await next.flush(); // Not after `ready`: the flush itself waits for the saved events to be queued.
    expect(collector.events.map((event) => event.name)).toEqual(['kept']);
    next.destroy();
  });

  it('are not queued again when analytics is denied while the next page reads its queue, even if granted again at once', async () => {
    const { hide, client, collector, storage } = await failingPage();
    collector.respondWith = 'network';
    client.track('kept-before-withdrawal');
    hide();
    client.destroy();
    freshIndexedDB();
    expect(namesIn(storage.entries.get(KEY))).toEqual(['kept-before-withdrawal']);

    collector.respondWith = 200;
    const next = pageOf(collector, storage).client;
    // The visitor denies analytics (personalization stays, so storage stays open) the moment the
    // page's storage has opened (its first notification with an id), while the saved events are
    // being checked against the queue.
    let withdrawn: Promise<void> | undefined;
    next.subscribe(() => {
      if (!withdrawn && next.getSnapshot().profile.anonymousId) withdrawn = next.consent.deny('analytics');
    });
    await next.ready;
    await withdrawn;
    await next.consent.grant('analytics');
    next.track('after-grant');
    await next.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['after-grant']);
    next.destroy();
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
