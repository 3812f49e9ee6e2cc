import { describe, expect, it } from 'vitest';
import type { AttuneEvent } from '../../../src/events/event.js';
import { JSON_MAX_REQUEST_BYTES, jsonAdapter } from '../../../src/sync/adapters/json.js';
import { KEEPALIVE_MAX_BYTES, utf8Length, type CollectorRequest } from '../../../src/sync/adapters/types.js';
import { event, expectGolden, FIXTURES, SENT_AT } from './golden.js';

const URL = 'https://collector.example/collect';

/** Requests with parsed bodies, as stored in the golden files. */
const readable = (requests: CollectorRequest[]) => requests.map((request) => ({ ...request, body: JSON.parse(request.body) as unknown }));

/** Events whose bodies fill exactly `bodyBytes` when `count` of them are sent together. */
function eventsFilling(count: number, bodyBytes: number): AttuneEvent[] {
  const make = (padding: string, i: number) => event(1, { id: `019ab1c2-0000-7000-8000-${String(i).padStart(12, '0')}`, properties: { padding } });
  const bare = Array.from({ length: count }, (_, i) => make('', i));
  const bareBytes = utf8Length(jsonAdapter(bare, { url: URL, sentAt: SENT_AT })[0]?.body ?? '');
  const extra = bodyBytes - bareBytes;
  return bare.map((_, i) => make('x'.repeat(Math.floor(extra / count) + (i < extra % count ? 1 : 0)), i));
}

const ids = (requests: CollectorRequest[]) => requests.flatMap((request) => (JSON.parse(request.body) as { batch: AttuneEvent[] }).batch.map((e) => e.id));

describe('json adapter', () => {
  it('sends one request with the batch and sentAt, as text/plain (golden)', () => {
    expectGolden('json', readable(jsonAdapter(FIXTURES, { url: URL, sentAt: SENT_AT })));
  });

  it('writes the same bytes as JSON.stringify of { batch, sentAt }', () => {
    const [request] = jsonAdapter(FIXTURES, { url: URL, sentAt: SENT_AT });
    expect(request?.body).toBe(JSON.stringify({ batch: FIXTURES, sentAt: SENT_AT }));
  });

  it('sends nothing for an empty batch', () => {
    expect(jsonAdapter([], { url: URL, sentAt: SENT_AT })).toEqual([]);
  });

  it('sends a write key as the x-attune-write-key header, and no such header without one', () => {
    const [keyed] = jsonAdapter([event(1)], { url: URL, sentAt: SENT_AT, writeKey: 'wk_123' });
    expect(keyed?.headers).toEqual({ 'content-type': 'text/plain;charset=UTF-8', 'x-attune-write-key': 'wk_123' });
    const [plain] = jsonAdapter([event(1)], { url: URL, sentAt: SENT_AT });
    expect(plain?.headers).toEqual({ 'content-type': 'text/plain;charset=UTF-8' });
  });

  it('adds custom headers, and a custom Content-Type replaces the default whatever its case', () => {
    const [request] = jsonAdapter([event(1)], {
      url: URL,
      sentAt: SENT_AT,
      headers: { 'X-Tenant': 'acme', 'Content-Type': 'application/json', Authorization: 'Bearer t0k' },
    });
    expect(request?.headers).toEqual({ 'content-type': 'application/json', 'x-tenant': 'acme', authorization: 'Bearer t0k' });
  });

  it('keeps a batch of exactly 500,000 bytes in one request', () => {
    const requests = jsonAdapter(eventsFilling(3, JSON_MAX_REQUEST_BYTES), { url: URL, sentAt: SENT_AT });
    expect(requests).toHaveLength(1);
    expect(utf8Length(requests[0]?.body ?? '')).toBe(JSON_MAX_REQUEST_BYTES);
  });

  it('splits a batch one byte over 500,000 bytes into two requests, keeping the order', () => {
    const events = eventsFilling(3, JSON_MAX_REQUEST_BYTES + 1);
    const requests = jsonAdapter(events, { url: URL, sentAt: SENT_AT });
    expect(requests).toHaveLength(2);
    expect(ids(requests)).toEqual(events.map((e) => e.id));
    for (const request of requests) expect(JSON.parse(request.body)).toMatchObject({ sentAt: SENT_AT });
  });

  it('counts bytes, not characters: multi-byte text splits sooner', () => {
    const events = Array.from({ length: 6 }, (_, i) => event(1, { id: `e${i}`, properties: { text: 'é'.repeat(60_000) } }));
    const requests = jsonAdapter(events, { url: URL, sentAt: SENT_AT });
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(utf8Length(request.body)).toBeLessThanOrEqual(JSON_MAX_REQUEST_BYTES);
    expect(ids(requests)).toEqual(events.map((e) => e.id));
  });

  it('with keepalive (the page being hidden) splits at 60,000 bytes, under the browser\'s 64 KiB quota', () => {
    expect(jsonAdapter(eventsFilling(3, KEEPALIVE_MAX_BYTES), { url: URL, sentAt: SENT_AT, keepalive: true })).toHaveLength(1);
    const events = eventsFilling(3, KEEPALIVE_MAX_BYTES + 1);
    const requests = jsonAdapter(events, { url: URL, sentAt: SENT_AT, keepalive: true });
    expect(requests).toHaveLength(2);
    for (const request of requests) expect(utf8Length(request.body)).toBeLessThanOrEqual(KEEPALIVE_MAX_BYTES);
    expect(ids(requests)).toEqual(events.map((e) => e.id));
  });
});
