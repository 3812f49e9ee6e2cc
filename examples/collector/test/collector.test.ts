import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttuneEvent } from '../../../packages/core/src/events/event.js';
import { jsonAdapter } from '../../../packages/core/src/sync/adapters/json.js';
import { segmentAdapter } from '../../../packages/core/src/sync/adapters/segment.js';
import { snowplowAdapter } from '../../../packages/core/src/sync/adapters/snowplow.js';
import type { CollectorRequest } from '../../../packages/core/src/sync/adapters/types.js';
// @ts-expect-error: the dev collector is plain JavaScript without type declarations.
import { createCollector } from '../collector.mjs';

type Collector = { listen(port: number): Promise<number>; close(): Promise<void> };
let running: Collector | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  const eventsFile = join(mkdtempSync(join(tmpdir(), 'attune-collector-')), 'events.ndjson');
  running = createCollector({ eventsFile }) as Collector;
  const port = await running.listen(0);
  return { base: `http://127.0.0.1:${port}`, eventsFile };
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain' } });

describe('dev collector', () => {
  it("serves a single-page app's index.html for its own routes, and a 404 for a missing file", async () => {
    const app = mkdtempSync(join(tmpdir(), 'attune-app-'));
    writeFileSync(join(app, 'index.html'), '<div id="root"></div>');
    running = createCollector({ eventsFile: join(app, 'events.ndjson'), routes: { '/app/': app }, apps: ['/app/'] }) as Collector;
    const base = `http://127.0.0.1:${await running.listen(0)}`;
    const route = await fetch(`${base}/app/product/JKT-1`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe('<div id="root"></div>');
    expect((await fetch(`${base}/app/missing.js`)).status).toBe(404);
  });

  it('appends each new event as one JSON line and drops a redelivered id', async () => {
    const { base, eventsFile } = await start();
    await post(`${base}/collect`, { batch: [{ id: 'a', name: 'one' }, { id: 'b', name: 'two' }] });
    const again = await post(`${base}/collect`, { batch: [{ id: 'b', name: 'two' }] });
    expect(await again.json()).toEqual({ received: 1, stored: 0 });
    const lines = readFileSync(eventsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((event) => event.id)).toEqual(['a', 'b']);
    expect((await (await fetch(`${base}/events?raw=1`)).json()).map((e: { id: string }) => e.id)).toEqual(['a', 'b', 'b']);
  });

  it('after DELETE /events?from=now, a late send of an earlier visitor (made before the clear) is not kept; new visitors are, whatever their clock; a plain DELETE keeps everything', async () => {
    const { base } = await start();
    const ids = async () => (await (await fetch(`${base}/events`)).json()).map((e: { id: string }) => e.id);
    const at = (ms: number) => new Date(ms).toISOString();
    await fetch(`${base}/events`, { method: 'DELETE' });
    await post(`${base}/collect`, { batch: [{ id: 'old', name: 'one', anonymousId: 'earlier', timestamp: at(Date.now() - 60_000) }] });
    expect(await ids()).toEqual(['old']);

    await fetch(`${base}/events?from=now`, { method: 'DELETE' });
    const late = await post(`${base}/collect`, {
      batch: [
        { id: 'late', name: 'one', anonymousId: 'earlier', timestamp: at(Date.now() - 1_000) },
        { id: 'new', name: 'two', anonymousId: 'this-test', timestamp: at(Date.now() + 1) },
        { id: 'fake-clock', name: 'three', anonymousId: 'this-test', timestamp: '2026-01-01T00:00:00.000Z' },
      ],
    });
    expect(late.status).toBe(200); // Answered: the page that sent it must not retry.
    expect(await ids()).toEqual(['new', 'fake-clock']);
  });

  it('answers CORS preflights for the requesting origin', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/collect`, { method: 'OPTIONS', headers: { origin: 'https://shop.test' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.test');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('rejects a body that is not JSON with a 400 that says the expected format', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/collect`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('batch');
  });

  it('can be told to fail or drop connections, and to recover', async () => {
    const { base } = await start();
    await post(`${base}/_control`, { mode: 'fail', status: 429 });
    expect((await post(`${base}/collect`, [{ id: 'x' }])).status).toBe(429);
    await post(`${base}/_control`, { mode: 'down' });
    await expect(post(`${base}/collect`, [{ id: 'x' }])).rejects.toThrow();
    await post(`${base}/_control`, { mode: 'up' });
    expect((await post(`${base}/collect`, [{ id: 'x' }])).status).toBe(200);
  });

  it('never serves files outside the configured folders', async () => {
    const eventsFile = join(mkdtempSync(join(tmpdir(), 'attune-collector-')), 'events.ndjson');
    running = createCollector({ eventsFile, routes: { '/shop/': join(import.meta.dirname, '..') } }) as Collector;
    const base = `http://127.0.0.1:${await running.listen(0)}`;
    expect((await fetch(`${base}/shop/collector.mjs`)).status).toBe(200);
    expect((await fetch(`${base}/shop/..%2F..%2Fpackage.json`)).status).toBe(403);
  });

  it('serves files byte for byte with an ETag, and a 304 when If-None-Match has it', async () => {
    const eventsFile = join(mkdtempSync(join(tmpdir(), 'attune-collector-')), 'events.ndjson');
    running = createCollector({ eventsFile, routes: { '/files/': join(import.meta.dirname, '..') } }) as Collector;
    const base = `http://127.0.0.1:${await running.listen(0)}`;
    const first = await fetch(`${base}/files/collector.mjs`);
    expect(Buffer.from(await first.arrayBuffer())).toEqual(readFileSync(join(import.meta.dirname, '../collector.mjs')));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect((await fetch(`${base}/files/collector.mjs`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    expect((await fetch(`${base}/files/collector.mjs`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('renders a page per request at its exact path, and serves the files beside it', async () => {
    const eventsFile = join(mkdtempSync(join(tmpdir(), 'attune-collector-')), 'events.ndjson');
    const pages = {
      '/ssr/': async (request: { headers: Record<string, string> }, url: URL) => ({
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<p>${url.searchParams.get('q')} ${request.headers.cookie}</p>`,
      }),
    };
    running = createCollector({ eventsFile, pages, routes: { '/ssr/': join(import.meta.dirname, '..') } }) as Collector;
    const base = `http://127.0.0.1:${await running.listen(0)}`;
    const page = await fetch(`${base}/ssr/?q=hello`, { headers: { cookie: 'a=1' } });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<p>hello a=1</p>');
    expect((await fetch(`${base}/ssr/collector.mjs`)).status).toBe(200);
  });
});

/** An Attune event with fixed ids and times, as the SDK queues it. */
function attuneEvent(n: number, overrides: Partial<AttuneEvent> = {}): AttuneEvent {
  return {
    id: `019ab1c2-0000-7000-8000-${String(n).padStart(12, '0')}`,
    type: 'track',
    name: 'product_viewed',
    timestamp: `2026-11-23T12:00:0${n % 10}.000Z`,
    anonymousId: '019ab1c1-ffff-7000-8000-00000000a001',
    sessionId: '019ab1c1-ffff-7000-8000-00000000c001',
    context: {
      page: { url: 'https://shop.test/p/1', path: '/p/1', search: '', title: 'Product', referrer: '' },
      locale: 'en-US',
      timezone: 'UTC',
      device: { type: 'desktop', screen: { width: 1280, height: 800 } },
      campaign: {},
      channel: 'web',
      time: { hour: 12, weekday: 1 },
    },
    properties: { sku: `SKU-${n}` },
    consent: ['analytics'],
    ...overrides,
  };
}

const BATCH = [
  attuneEvent(1, { type: 'page', name: 'page_view', properties: {} }),
  attuneEvent(2),
  attuneEvent(3, { type: 'identify', name: 'identify', userId: 'user-42', traits: { plan: 'pro' }, properties: {} }),
  attuneEvent(4, { type: 'alias', name: 'alias', userId: 'user-42', previousId: '019ab1c1-ffff-7000-8000-00000000a001', properties: {} }),
];
const EXPECTED = BATCH.map((event) => ({ id: event.id, type: event.type, name: event.name }));

/** Sends adapter-built requests to the dev collector at `base` (the adapter's URL is only a path). */
async function deliver(base: string, requests: CollectorRequest[]): Promise<Response[]> {
  const responses: Response[] = [];
  for (const request of requests) {
    responses.push(await fetch(new URL(new URL(request.url).pathname, base), { method: 'POST', headers: request.headers, body: request.body }));
  }
  return responses;
}

type StoredRecord = { id: string; type: string; name: string; format: string; [key: string]: unknown };
const storedRecords = async (base: string, raw = false): Promise<StoredRecord[]> => (await fetch(`${base}/events${raw ? '?raw=1' : ''}`)).json();
const SENT_AT = '2026-11-23T12:01:00.000Z';

describe('dev collector formats', () => {
  it('stores a json adapter batch from POST /collect with format "json"', async () => {
    const { base } = await start();
    const responses = await deliver(base, jsonAdapter(BATCH, { url: 'http://x/collect', sentAt: SENT_AT, writeKey: 'wk' }));
    expect(responses.map((r) => r.status)).toEqual([200]);
    const records = await storedRecords(base);
    expect(records.map(({ id, type, name }) => ({ id, type, name }))).toEqual(EXPECTED);
    expect(records.every((record) => record.format === 'json')).toBe(true);
    expect(records[1]?.properties).toEqual({ sku: 'SKU-2' });
  });

  it('stores a Segment batch from POST /v1/batch (Basic auth accepted), keeping each message', async () => {
    const { base, eventsFile } = await start();
    const requests = segmentAdapter()(BATCH, { url: 'https://api.segment.io/v1/batch', sentAt: SENT_AT, writeKey: 'wk_123' });
    expect(requests[0]?.headers.authorization).toMatch(/^Basic /);
    const [response] = await deliver(base, requests);
    expect(await response?.json()).toEqual({ received: 4, stored: 4 });
    const records = await storedRecords(base);
    expect(records.map(({ id, type, name }) => ({ id, type, name }))).toEqual(EXPECTED);
    expect(records[1]).toMatchObject({ format: 'segment', messageId: BATCH[1]?.id, event: 'product_viewed', properties: { sku: 'SKU-2' } });
    const lines = readFileSync(eventsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as StoredRecord);
    expect(lines.map((line) => line.format)).toEqual(['segment', 'segment', 'segment', 'segment']);
  });

  it('stores Snowplow tracker-protocol events from POST /com.snowplowanalytics.snowplow/tp2', async () => {
    const { base } = await start();
    const requests = snowplowAdapter({ appId: 'shop' })(BATCH, { url: 'https://sp.example', sentAt: SENT_AT });
    const [response] = await deliver(base, requests);
    expect(response?.status).toBe(200);
    const records = await storedRecords(base);
    expect(records.map(({ id, type, name }) => ({ id, type, name }))).toEqual(EXPECTED);
    expect(records[0]).toMatchObject({ format: 'snowplow', e: 'pv', eid: BATCH[0]?.id, aid: 'shop' });
    expect(records[1]).toMatchObject({ e: 'ue', ue_pr: expect.stringContaining('product_viewed') });
  });

  it('reads type and name of Snowplow events without the Attune entity, base64 fields included', async () => {
    const { base } = await start();
    const ue = Buffer.from(JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0', data: { schema: 'iglu:com.acme/signed_up/jsonschema/1-0-0', data: {} } })).toString('base64url');
    const body = {
      schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
      data: [
        { e: 'pv', eid: 'sp-1', tv: 'js-3.5.0', p: 'web' },
        { e: 'ue', eid: 'sp-2', tv: 'js-3.5.0', p: 'web', ue_px: ue },
        { e: 'se', eid: 'sp-3', tv: 'js-3.5.0', p: 'web', se_ca: 'video', se_ac: 'play' },
      ],
    };
    await post(`${base}/com.snowplowanalytics.snowplow/tp2`, body);
    expect((await storedRecords(base)).map(({ id, type, name }) => ({ id, type, name }))).toEqual([
      { id: 'sp-1', type: 'page', name: 'page_view' },
      { id: 'sp-2', type: 'track', name: 'signed_up' },
      { id: 'sp-3', type: 'track', name: 'play' },
    ]);
  });

  it('drops a redelivered id whatever the format it comes back in', async () => {
    const { base } = await start();
    await deliver(base, jsonAdapter(BATCH.slice(0, 2), { url: 'http://x/collect', sentAt: SENT_AT }));
    await deliver(base, segmentAdapter()(BATCH.slice(1, 3), { url: 'http://x/v1/batch', sentAt: SENT_AT }));
    const [again] = await deliver(base, snowplowAdapter()(BATCH, { url: 'http://x', sentAt: SENT_AT }));
    expect(await again?.json()).toEqual({ received: 4, stored: 1 });
    expect((await storedRecords(base)).map((r) => [r.id, r.format])).toEqual([
      [BATCH[0]?.id, 'json'],
      [BATCH[1]?.id, 'json'],
      [BATCH[2]?.id, 'segment'],
      [BATCH[3]?.id, 'snowplow'],
    ]);
    expect(await storedRecords(base, true)).toHaveLength(8);
  });

  it('rejects a tp2 body that is not a payload_data JSON with a 400 naming the schema', async () => {
    const { base } = await start();
    const response = await post(`${base}/com.snowplowanalytics.snowplow/tp2`, { batch: [] });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('payload_data');
    const notJson = await fetch(`${base}/v1/batch`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toContain('Segment batch');
  });

  it('applies the fail and down modes to every collect route', async () => {
    const { base } = await start();
    await post(`${base}/_control`, { mode: 'fail', status: 503 });
    expect((await deliver(base, segmentAdapter()(BATCH, { url: 'http://x/v1/batch', sentAt: SENT_AT })))[0]?.status).toBe(503);
    expect((await deliver(base, snowplowAdapter()(BATCH, { url: 'http://x', sentAt: SENT_AT })))[0]?.status).toBe(503);
    await post(`${base}/_control`, { mode: 'down' });
    await expect(deliver(base, snowplowAdapter()(BATCH, { url: 'http://x', sentAt: SENT_AT }))).rejects.toThrow();
  });

  it('allows authorization, content-type and custom headers in preflights', async () => {
    const { base } = await start();
    const asked = await fetch(`${base}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-attune-write-key' },
    });
    expect(asked.status).toBe(204);
    expect(asked.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-attune-write-key');
    const bare = await fetch(`${base}/com.snowplowanalytics.snowplow/tp2`, { method: 'OPTIONS', headers: { origin: 'https://shop.test' } });
    expect(bare.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
  });
});
