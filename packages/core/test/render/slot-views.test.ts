import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneClient, AttuneOptions } from '../../src/client/types.js';
import { createSlotViews } from '../../src/render/slot-views.js';
import type { ServerDecisions } from '../../src/server/server-decisions.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';
import { shopBundle } from '../fixtures.js';

beforeEach(() => freshIndexedDB());

const shop = readFileSync(new URL('../../../../examples/bundles/shop.json', import.meta.url), 'utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const told = () => sleep(0);

/** A visitor who consented and viewed `views` products on an earlier page: this page's client and storage. */
async function returning(views: number, options: AttuneOptions = {}): Promise<AttuneClient> {
  const storage = memoryStorage();
  const earlier = createAttune({ bundle: shopBundle(), environment: { storage } });
  await earlier.consent.grant();
  for (let i = 0; i < views; i++) earlier.track('product_viewed');
  await earlier.ready;
  await sleep(50); // written to IndexedDB
  earlier.destroy();
  return createAttune({ bundle: shopBundle(), ...options, environment: { storage, ...options.environment } });
}

/** A bundle URL whose response waits until `release()`. */
function slowBundle(): { fetch: typeof fetch; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fetch = (async () => {
    await gate;
    return new Response(JSON.stringify(shopBundle()), { status: 200, headers: { etag: '"1"' } });
  }) as typeof globalThis.fetch;
  return { fetch, release };
}

it("renders a returning visitor's slot pending until the client is ready, then its personalized decision", async () => {
  const client = await returning(3);
  const views = createSlotViews(client);
  expect(views.get('home.hero').pending).toBe(true);
  await client.ready;
  await told();
  expect(views.get('home.hero')).toMatchObject({ pending: false, decision: { reason: 'matched', content: { value: 'Welcome back' } } });
});

it('never renders a slot pending without personalization consent', () => {
  const views = createSlotViews(createAttune({ bundle: shopBundle(), environment: { storage: memoryStorage() } }));
  expect(views.get('home.hero').pending).toBe(false);
});

it('shows the default once the timeout has passed, and keeps it when the personalized decision comes later', async () => {
  const slow = slowBundle();
  const client = await returning(3, { bundle: undefined, bundleUrl: 'https://cdn.example/shop.json', environment: { fetch: slow.fetch } });
  const views = createSlotViews(client, { pendingTimeoutMs: 20 });
  const heard = vi.fn();
  views.subscribe(heard);
  expect(views.get('home.hero').pending).toBe(true);
  await sleep(40);
  expect(heard).toHaveBeenCalled();
  const atTimeout = views.get('home.hero');
  expect(atTimeout).toMatchObject({ pending: false, timedOut: true, decision: { content: null } });
  slow.release();
  await client.ready;
  await told();
  expect(client.decide('home.hero').reason).toBe('matched');
  expect(views.get('home.hero')).toBe(atTimeout);
});

it("keeps what the server rendered for the page view, and follows the client once the visitor changes its decision", async () => {
  const client = await returning(2);
  const server: ServerDecisions = { consented: false, slots: [{ slot: 'home.hero', pending: false, decision: { slot: 'home.hero', experience: null, variant: 'default', content: { type: 'text', value: 'Welcome' }, reason: 'default-no-consent' } }] };
  const views = createSlotViews(client, { serverDecisions: server });
  const hydrated = views.server('home.hero');
  expect(hydrated.decision).toEqual(server.slots[0]!.decision);
  expect(views.get('home.hero')).toBe(hydrated);
  await client.ready;
  await told();
  expect(client.decide('home.hero').reason).toBe('not-in-audience');
  expect(views.get('home.hero')).toBe(hydrated);
  client.track('product_viewed');
  await told();
  expect(views.get('home.hero').decision).toMatchObject({ reason: 'matched', content: { value: 'Welcome back' } });
});

it('reveals a slot the server left pending with the client\'s decision once it is ready', async () => {
  const client = await returning(3);
  const views = createSlotViews(client, { serverDecisions: { consented: true, slots: [{ slot: 'home.hero', pending: true, decision: null }] } });
  expect(views.server('home.hero').pending).toBe(true);
  expect(views.get('home.hero').pending).toBe(true);
  await client.ready;
  await told();
  expect(views.get('home.hero')).toMatchObject({ pending: false, decision: { reason: 'matched' } });
});

it('renders the server decisions without a client (on the server), and defaults for slots it did not decide', () => {
  const decision = { slot: 'home.promo', experience: 'promo-newsletter', variant: 'newsletter', content: { type: 'text' as const, value: '10% off' }, reason: 'matched' as const };
  const views = createSlotViews(undefined, { serverDecisions: { consented: true, slots: [{ slot: 'home.promo', pending: false, decision }, { slot: 'home.hero', pending: true, decision: null }] } });
  expect(views.get('home.promo')).toEqual({ decision, pending: false, pageView: 0, timedOut: false });
  expect(views.get('home.hero').pending).toBe(true);
  expect(views.get('home.other')).toEqual({ decision: { slot: 'home.other', experience: null, variant: null, content: null, reason: 'default-no-consent' }, pending: false, pageView: 0, timedOut: false });
  expect(views.get('home.other')).toBe(views.get('home.other'));
});

it('gives a new view on each page view, so the slot on screen is reported once per page view', async () => {
  const collector = fakeCollector();
  const client = createAttune({ bundle: shop, collectorUrl: 'https://collect.example/', environment: { storage: memoryStorage(), fetch: collector.fetch } });
  await client.consent.grant();
  await client.ready;
  const exposures = async () => {
    await client.flush();
    return collector.events.filter((event) => event.name === 'experiment_exposure').length;
  };
  const views = createSlotViews(client);
  views.subscribe(() => {});
  const first = views.get('home.cta');
  views.shown(first);
  views.shown(first);
  await told();
  expect(await exposures()).toBe(1);
  client.page();
  await told();
  const next = views.get('home.cta');
  expect(next).not.toBe(first);
  expect(next.pageView).toBe(first.pageView + 1);
  views.shown(next);
  expect(await exposures()).toBe(2);
});

it('never reports a pending view as shown', async () => {
  const client = await returning(3);
  const shown = vi.spyOn(client, 'shown');
  const views = createSlotViews(client);
  views.shown(views.get('home.hero'));
  expect(shown).not.toHaveBeenCalled();
});

it('subscribes to the client only while something listens', async () => {
  const client = createAttune({ bundle: shop, environment: { storage: memoryStorage() } });
  let listening = 0;
  const subscribe = client.subscribe;
  client.subscribe = (listener) => {
    listening++;
    const stop = subscribe(listener);
    return () => {
      listening--;
      return stop();
    };
  };
  const views = createSlotViews(client);
  const stops = Array.from({ length: 3 }, () => views.subscribe(() => {}));
  expect(listening).toBe(1);
  for (const stop of stops) stop();
  expect(listening).toBe(0);
});

it('follows a consent given before the client was ready: the held server default gives way to the decision under consent', async () => {
  // A first visit rendered by the server without consent; the visitor accepts while the bundle is still loading.
  const serverDecisions: ServerDecisions = { consented: false, slots: [{ slot: 'home.hero', pending: false, decision: { slot: 'home.hero', experience: null, variant: null, content: null, reason: 'default-no-consent' } }] };
  const slow = slowBundle();
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { fetch: slow.fetch, storage: memoryStorage() } });
  const views = createSlotViews(client, { serverDecisions, pendingTimeoutMs: 60_000 });
  views.subscribe(() => {});
  expect(views.server('home.hero').decision.reason).toBe('default-no-consent');
  await client.consent.grant();
  slow.release();
  await client.ready;
  await told();
  // The shop bundle's hero needs three product views: the decision under consent is not-in-audience, no longer default-no-consent.
  expect(views.get('home.hero')).toMatchObject({ pending: false, decision: { reason: 'not-in-audience' } });
});
