import 'fake-indexeddb/auto';
import { beforeEach, expect, it } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

const bundle = {
  schema: 'attune.bundle/1',
  id: 'shop',
  version: 1,
  experiences: [
    {
      id: 'cta-test',
      slot: 'home.cta',
      experiment: { id: 'cta-test' },
      variants: [
        { id: 'control', content: 'a' },
        { id: 'urgency', content: 'b' },
      ],
      default: 'control',
    },
  ],
  content: { a: { type: 'text', value: 'Free returns' }, b: { type: 'text', value: 'Order now' } },
};

/** The collector, and a bundle server that answers after `delayMs` (the network). */
function network(delayMs: number) {
  const collector = fakeCollector();
  const fetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
    if (String(url).endsWith('/shop.json')) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return new Response(JSON.stringify(bundle), { status: 200 });
    }
    return collector.fetch(url, init);
  }) as typeof globalThis.fetch;
  return { collector, fetch };
}

it("stamps a returning visitor's assignments on the events tracked as the page starts, before the bundle is loaded", async () => {
  const storage = memoryStorage();
  const first = network(0);
  const options = { bundleUrl: 'https://cdn.test/shop.json', collectorUrl: 'https://collect.test/e', flushIntervalMs: 60_000 };
  const visit = createAttune({ ...options, environment: { storage, fetch: first.fetch } });
  await visit.consent.grant();
  await visit.ready;
  const variant = visit.decide('home.cta').variant;
  expect(variant).toMatch(/^(control|urgency)$/);
  await visit.flush();
  visit.destroy();
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the batched writes land

  // The next page: the tag records its page_view (and web vitals arrive) before anything is loaded.
  const next = network(30);
  const page = createAttune({ ...options, environment: { storage, fetch: next.fetch } });
  page.page();
  page.track('web_vital', { metric: 'TTFB' });
  await page.ready;
  await page.flush();

  expect(next.collector.events.map((event) => [event.name, event.experiments])).toEqual([
    ['page_view', { 'cta-test': variant }],
    ['web_vital', { 'cta-test': variant }],
  ]);
  page.destroy();
});

it('records and sends events on a first visit whose bundle download never finishes', async () => {
  const collector = fakeCollector();
  // The bundle server accepts the request and never answers.
  const fetch = ((url: RequestInfo | URL, init?: RequestInit) =>
    String(url).endsWith('/shop.json') ? new Promise<Response>(() => {}) : collector.fetch(url, init)) as typeof globalThis.fetch;
  const page = createAttune({
    bundleUrl: 'https://cdn.test/shop.json',
    collectorUrl: 'https://collect.test/e',
    flushIntervalMs: 60_000,
    environment: { storage: memoryStorage(), fetch },
  });
  // Tracked as the visitor accepts, before storage has opened.
  const granting = page.consent.grant();
  page.page();
  page.track('product_viewed', { sku: 'A1' });
  await granting;
  await expect.poll(() => page.count('product_viewed')).toBe(1);
  await page.flush();
  expect(collector.events.map((event) => event.name)).toEqual(['page_view', 'product_viewed']);
  page.destroy();
});
