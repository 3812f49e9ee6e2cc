import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { fakeCollector, freshIndexedDB, hiddenOnDemand, memoryStorage, type FakeCollector } from '../support.js';

beforeEach(() => freshIndexedDB());
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A page (a client) of the visitor, sending to `collector` (through `fetch`). */
const open = (collector: FakeCollector, storage = memoryStorage(), fetch = collector.fetch) =>
  createAttune({ collectorUrl: 'https://collector.test/collect', flushIntervalMs: 60_000, onError: () => {}, environment: { fetch, storage } });

/** A page whose visitor granted everything and tracked five events (w0 to w4) while the collector was down. */
async function withdrawnLater() {
  const collector = fakeCollector();
  const storage = memoryStorage();
  const page = () => open(collector, storage);
  const client = page();
  await client.consent.grant();
  const firstId = client.getSnapshot().profile.anonymousId;
  collector.respondWith = 'network';
  for (let i = 0; i < 5; i++) client.track(`w${i}`);
  await client.flush().catch(() => undefined);
  return { client, collector, storage, firstId, page };
}

/** Lets IndexedDB work and page-close sends land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('consent changes in call order', () => {
  for (const [what, withdrawThenGrant] of [
    ['consent.withdraw(); consent.grant()', (client: ReturnType<typeof createAttune>) => (void client.consent.withdraw(), client.consent.grant())],
    ["the tag's deny then grant", (client: ReturnType<typeof createAttune>) => (void client.consent.deny(), client.consent.grant())],
  ] as const) {
    it(`${what} in one task erases the events, the id and the profile before granting afresh`, async () => {
      const { client, collector, firstId, storage, page } = await withdrawnLater();
      await withdrawThenGrant(client);
      const newId = client.getSnapshot().profile.anonymousId;
      expect(newId).toBeTruthy();
      expect(newId).not.toBe(firstId);
      expect(client.count('w0')).toBe(0);

      collector.respondWith = 200;
      client.track('after');
      await client.flush();
      await client.flush();
      client.destroy();
      // The next page finds nothing withdrawn either.
      const next = page();
      await next.ready;
      await next.flush();
      expect(collector.events.map((event) => event.name)).toEqual(['after']);
      expect(collector.events[0]?.anonymousId).toBe(newId);
      expect(next.count('w0')).toBe(0);
      expect(storage.getItem('attune.anonymousId.v1')).toBe(newId);
      next.destroy();
    });
  }

  it('a flush under way when analytics is withdrawn sends nothing more, even once it is granted again', async () => {
    const collector = fakeCollector();
    // The collector refuses the batch (one event is bad), so the flush sends the events one by
    // one; it holds the answer to the first of those until the test lets it go.
    collector.poisonName = 'bad';
    let release = () => {};
    let held: Promise<void> | undefined;
    const fetch = ((url, init) => {
      const answer = collector.fetch(url, init);
      if (collector.requests !== 2) return answer;
      held = new Promise((resolve) => (release = resolve));
      return held.then(() => answer);
    }) as typeof globalThis.fetch;
    const client = open(collector, memoryStorage(), fetch);
    await client.consent.grant();
    for (const name of ['w0', 'bad', 'w1']) client.track(name);
    const flushing = client.flush();
    await vi.waitFor(() => expect(held).toBeDefined());
    void client.consent.deny('analytics');
    void client.consent.grant('analytics');
    release();
    await flushing;
    // w0 was on its way already; nothing was sent after the withdrawal.
    expect(collector.events.map((event) => event.name)).toEqual(['w0']);
    expect(collector.requests).toBe(2);
    client.destroy();
  });

  it('events tracked before a withdrawal, while storage was still opening, are not applied after a new grant', async () => {
    const collector = fakeCollector();
    const client = open(collector);
    void client.consent.grant();
    client.track('early');
    void client.consent.withdraw();
    await client.consent.grant();
    client.track('after');
    await client.flush();
    await client.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['after']);
    expect(client.count('early')).toBe(0);
    client.destroy();
  });

  it('an event tracked right after analytics is denied and granted again in one task is delivered, and none from before', async () => {
    const { client, collector } = await withdrawnLater();
    collector.respondWith = 200;
    client.track('w5');
    void client.consent.deny('analytics');
    void client.consent.grant('analytics');
    client.track('after');
    await settle();
    await client.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['after']);
    client.destroy();
  });

  it('an identify() still hashing its email when consent is withdrawn is not sent after a new grant', async () => {
    const collector = fakeCollector();
    const client = open(collector);
    await client.consent.grant();
    client.identify('user-1', { email: 'visitor@example.com' });
    void client.consent.withdraw();
    await client.consent.grant();
    await settle();
    client.track('after');
    await client.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['after']);
    client.destroy();
  });
});

describe('in two tabs', () => {
  it('tells the other tabs of a grant that follows a withdrawal only once the database is deleted', async () => {
    const storage = memoryStorage();
    const earlier = createAttune({ environment: { storage } });
    await earlier.consent.grant();
    earlier.destroy();
    const heard: string[] = [];
    const deleteDatabase = indexedDB.deleteDatabase.bind(indexedDB);
    vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation((name) => {
      const request = deleteDatabase(name);
      request.addEventListener('success', () => heard.push('database deleted'));
      return request;
    });
    const otherTab = new BroadcastChannel('attune:attune');
    otherTab.onmessage = ({ data }: MessageEvent<{ kind: string; state: { analytics: string } }>) => {
      if (data.kind === 'consent') heard.push(`analytics ${data.state.analytics}`);
    };
    // A new page of the visitor (its storage still opening): withdrawn and granted again at once.
    const page = createAttune({ environment: { storage } });
    void page.consent.withdraw();
    await page.consent.grant();
    await vi.waitFor(() => expect(heard).toContain('analytics granted'));
    expect(heard.filter((what) => what !== 'analytics denied')).toEqual(['database deleted', 'analytics granted']);
    expect(heard).toContain('analytics denied');
    otherTab.close();
    page.destroy();
  });
});

describe('closing the page after a withdrawal', () => {
  it('after await withdraw() and a later grant(), sends none of the events tracked before the withdrawal', async () => {
    const hide = hiddenOnDemand();
    const { client, collector } = await withdrawnLater();
    await client.consent.withdraw();
    await client.consent.grant();
    collector.respondWith = 200;
    client.track('after');
    hide();
    client.destroy();
    await settle();
    expect(collector.events.map((event) => event.name)).toEqual(['after']);
  });

  it('after denying and granting analytics again, sends none of the events tracked before the denial', async () => {
    const hide = hiddenOnDemand();
    const { client, collector } = await withdrawnLater();
    await client.consent.deny('analytics');
    await client.consent.grant('analytics');
    collector.respondWith = 200;
    hide();
    client.destroy();
    await settle();
    expect(collector.events).toEqual([]);
  });

  it('after denying and granting personalization again, gives the next page none of the profile kept before', async () => {
    const hide = hiddenOnDemand();
    const { client, storage, page } = await withdrawnLater();
    await client.consent.deny('personalization');
    await client.consent.grant('personalization');
    client.track('after');
    hide();
    client.destroy();
    const next = page();
    await next.ready;
    expect(next.count('w0')).toBe(0);
    expect(next.count('after')).toBe(1);
    expect(storage.getItem('attune.unsaved.v1')).toBeNull();
    next.destroy();
  });
});

describe('a page left before its withdrawal has deleted the database', () => {
  it('the next page deletes it: a later grant starts a new visitor with nothing kept from before', async () => {
    const { client, storage, firstId, page } = await withdrawnLater();
    // The page is left at once: the deletion it asked for never runs.
    const deleting = vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation(() => ({}) as IDBOpenDBRequest);
    void client.consent.withdraw();
    await settle();
    client.destroy();
    deleting.mockRestore();
    expect((await indexedDB.databases()).map((db) => db.name)).toEqual(['attune']);

    const next = page();
    await vi.waitFor(async () => expect(await indexedDB.databases()).toEqual([]));
    await next.consent.grant();
    expect(next.getSnapshot().profile.anonymousId).not.toBe(firstId);
    expect(next.count('w0')).toBe(0);
    next.destroy();
  });
});
