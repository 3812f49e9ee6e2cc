import { describe, expect, it } from 'vitest';
import type { AttuneEvent } from '../../../src/events/event.js';
import {
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_MESSAGE_BYTES,
  segmentAdapter,
  toSegmentMessage,
  type SegmentMessage,
} from '../../../src/sync/adapters/segment.js';
import { utf8Length, type CollectorRequest } from '../../../src/sync/adapters/types.js';
import { event, expectGolden, FIXTURES, SENT_AT } from './golden.js';

const URL = 'https://api.segment.io/v1/batch';

const readable = (requests: CollectorRequest[]) => requests.map((request) => ({ ...request, body: JSON.parse(request.body) as unknown }));

const messages = (requests: CollectorRequest[]) => requests.flatMap((request) => (JSON.parse(request.body) as { batch: SegmentMessage[] }).batch);

/** `count` track events whose request body is exactly `bodyBytes` long when sent together. */
function eventsFilling(count: number, bodyBytes: number): AttuneEvent[] {
  const make = (padding: string, i: number) => event(1, { id: `m${i}`, properties: { padding } });
  const bare = Array.from({ length: count }, (_, i) => make('', i));
  const extra = bodyBytes - utf8Length(segmentAdapter()(bare, { url: URL, sentAt: SENT_AT })[0]?.body ?? '');
  return bare.map((_, i) => make('x'.repeat(Math.floor(extra / count) + (i < extra % count ? 1 : 0)), i));
}

describe('segment adapter', () => {
  it('maps page, track, identify and alias to a Segment batch call (golden)', () => {
    const requests = segmentAdapter()(FIXTURES, { url: URL, sentAt: SENT_AT, writeKey: 'wk_123' });
    expectGolden('segment', readable(requests));
  });

  it('carries the active experiment assignments under context.attune.experiments', () => {
    const message = toSegmentMessage(event(1, { experiments: { 'hero-test': 'reminder', 'cta-test': 'holdout' } }));
    expect(message.context.attune.experiments).toEqual({ 'hero-test': 'reminder', 'cta-test': 'holdout' });
    expect(toSegmentMessage(event(1)).context.attune).not.toHaveProperty('experiments');
  });

  it('maps a track event to event + properties, with the Attune id as messageId', () => {
    expect(toSegmentMessage(event(1))).toMatchObject({
      type: 'track',
      messageId: '019ab1c2-0000-7000-8000-000000000002',
      event: 'product_viewed',
      properties: { sku: 'JKT-1', price: 129.5, tags: ['rain', 'wind'] },
      timestamp: '2026-11-23T12:00:05.250Z',
    });
  });

  it("fills a page's reserved properties from the page context, letting the host's properties win", () => {
    const message = toSegmentMessage(event(0, { properties: { title: 'Custom title', category: 'outerwear' } }));
    expect(message.name).toBe('page_view');
    expect(message.properties).toEqual({
      path: '/jackets',
      referrer: 'https://mail.example/',
      search: '?utm_source=newsletter&utm_campaign=winter',
      title: 'Custom title',
      url: 'https://shop.example/jackets?utm_source=newsletter&utm_campaign=winter',
      category: 'outerwear',
    });
  });

  it('sends identify traits (no properties) and the alias previousId with the userId', () => {
    const identify = toSegmentMessage(event(2));
    expect(identify).toMatchObject({ type: 'identify', userId: 'user-42', traits: { email: 'ada@example.com', plan: 'pro' } });
    expect(identify).not.toHaveProperty('properties');
    expect(toSegmentMessage(event(3))).toMatchObject({ type: 'alias', userId: 'user-42', previousId: '019ab1c1-ffff-7000-8000-00000000a001' });
  });

  it('puts Attune-only fields under context.attune and leaves unknown screen, campaign, locale out', () => {
    const bare = event(1, {
      context: { ...event(1).context, locale: '', timezone: '', device: { type: 'desktop', screen: { width: 0, height: 0 } }, campaign: {} },
    });
    const { context } = toSegmentMessage(bare);
    expect(Object.keys(context).sort()).toEqual(['attune', 'library', 'page']);
    expect(context.attune).toEqual({ sessionId: '019ab1c1-ffff-7000-8000-00000000c001', consent: ['analytics'], device: { type: 'desktop' }, channel: 'web' });
  });

  it('sends the write key as Basic auth of "key:" (UTF-8), and no authorization without one', () => {
    const [keyed] = segmentAdapter()([event(1)], { url: URL, sentAt: SENT_AT, writeKey: 'wk_123' });
    expect(keyed?.headers).toEqual({ 'content-type': 'application/json', authorization: `Basic ${Buffer.from('wk_123:').toString('base64')}` });
    const [unicode] = segmentAdapter()([event(1)], { url: URL, sentAt: SENT_AT, writeKey: 'clé' });
    expect(unicode?.headers.authorization).toBe(`Basic ${Buffer.from('clé:', 'utf8').toString('base64')}`);
    const [anonymous] = segmentAdapter()([event(1)], { url: URL, sentAt: SENT_AT });
    expect(anonymous?.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('lets a custom Authorization header replace the write key, and adds other custom headers', () => {
    const [request] = segmentAdapter()([event(1)], { url: URL, sentAt: SENT_AT, writeKey: 'wk_123', headers: { Authorization: 'Bearer proxy', 'X-Tenant': 'acme' } });
    expect(request?.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer proxy', 'x-tenant': 'acme' });
  });

  it('sends the integrations setting with every message', () => {
    const requests = segmentAdapter({ integrations: { All: true, Mixpanel: false } })(FIXTURES, { url: URL, sentAt: SENT_AT });
    expect(messages(requests).map((m) => m.integrations)).toEqual(FIXTURES.map(() => ({ All: true, Mixpanel: false })));
  });

  it('leaves out a message over 32 KB, reports it, and still sends the others', () => {
    const oversize = event(1, { id: 'big', properties: { blob: 'x'.repeat(SEGMENT_MAX_MESSAGE_BYTES) } });
    const reported: Array<[string, number]> = [];
    const requests = segmentAdapter({ onOversize: (e, bytes) => reported.push([e.id, bytes]) })([event(0), oversize, event(2)], { url: URL, sentAt: SENT_AT });
    expect(messages(requests).map((m) => m.messageId)).toEqual([FIXTURES[0]?.id, FIXTURES[2]?.id]);
    expect(reported).toHaveLength(1);
    expect(reported[0]?.[0]).toBe('big');
    expect(reported[0]?.[1]).toBeGreaterThan(SEGMENT_MAX_MESSAGE_BYTES);
  });

  it('sends nothing when every message is over the limit, or the batch is empty', () => {
    const oversize = event(1, { properties: { blob: 'x'.repeat(SEGMENT_MAX_MESSAGE_BYTES) } });
    expect(segmentAdapter()([oversize], { url: URL, sentAt: SENT_AT })).toEqual([]);
    expect(segmentAdapter()([], { url: URL, sentAt: SENT_AT })).toEqual([]);
  });

  it('keeps a batch of exactly 500,000 bytes in one request', () => {
    const requests = segmentAdapter()(eventsFilling(20, SEGMENT_MAX_BATCH_BYTES), { url: URL, sentAt: SENT_AT });
    expect(requests).toHaveLength(1);
    expect(utf8Length(requests[0]?.body ?? '')).toBe(SEGMENT_MAX_BATCH_BYTES);
  });

  it('splits a batch one byte over 500,000 bytes into two requests, each with sentAt and auth, in order', () => {
    const events = eventsFilling(20, SEGMENT_MAX_BATCH_BYTES + 1);
    const requests = segmentAdapter()(events, { url: URL, sentAt: SENT_AT, writeKey: 'wk_123' });
    expect(requests).toHaveLength(2);
    expect(messages(requests).map((m) => m.messageId)).toEqual(events.map((e) => e.id));
    for (const request of requests) {
      expect(utf8Length(request.body)).toBeLessThanOrEqual(SEGMENT_MAX_BATCH_BYTES);
      expect(JSON.parse(request.body)).toMatchObject({ sentAt: SENT_AT });
      expect(request.headers.authorization).toMatch(/^Basic /);
      expect(request.url).toBe(URL);
    }
  });
});
