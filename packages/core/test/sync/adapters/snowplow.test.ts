import { describe, expect, it } from 'vitest';
import type { AttuneEvent } from '../../../src/events/event.js';
import { SNOWPLOW_MAX_REQUEST_BYTES, igluName, snowplowAdapter, toSnowplowPayload } from '../../../src/sync/adapters/snowplow.js';
import { utf8Length, type CollectorRequest } from '../../../src/sync/adapters/types.js';
import { event, expectGolden, FIXTURES, SENT_AT } from './golden.js';

const COLLECTOR = 'https://sp.example';
const TP2 = 'https://sp.example/com.snowplowanalytics.snowplow/tp2';

/** Every property payload_data 1-0-4 allows (it sets additionalProperties: false). */
const PAYLOAD_DATA_KEYS = new Set(
  ('tna aid p dtm tz e tid eid tv duid nuid uid vid ip res url page refr fp ctype cookie lang f_pdf f_qt f_realp f_wma f_dir f_fla ' +
    'f_java f_gears f_ag cd ds cs vp mac pp_mix pp_max pp_miy pp_may ad_ba ad_ca ad_ad ad_uid tr_id tr_af tr_tt tr_tx tr_sh tr_ci ' +
    'tr_st tr_co tr_cu ti_id ti_sk ti_nm ti_na ti_ca ti_pr ti_qu ti_cu sa sn st sp se_ca se_ac se_la se_pr se_va ue_na ue_pr ue_px ' +
    'co cx ua tnuid stm sid ttm').split(' '),
);

interface PayloadData {
  schema: string;
  data: Array<Record<string, string>>;
}
const payloads = (requests: CollectorRequest[]) => requests.flatMap((request) => (JSON.parse(request.body) as PayloadData).data);

/** Bodies parsed, with the JSON strings `ue_pr` and `co` parsed too so the golden file reads well. */
const readable = (requests: CollectorRequest[]) =>
  requests.map((request) => {
    const body = JSON.parse(request.body) as PayloadData;
    const data = body.data.map((item) => ({
      ...item,
      ...(item.ue_pr ? { ue_pr: JSON.parse(item.ue_pr) as unknown } : {}),
      ...(item.co ? { co: JSON.parse(item.co) as unknown } : {}),
    }));
    return { ...request, body: { ...body, data } };
  });

/** `count` track events whose request body is exactly `bodyBytes` long when sent together. */
function eventsFilling(count: number, bodyBytes: number): AttuneEvent[] {
  const make = (padding: string, i: number) => event(1, { id: `019ab1c2-0000-7000-8000-${String(i).padStart(12, '0')}`, properties: { padding } });
  const bare = Array.from({ length: count }, (_, i) => make('', i));
  const extra = bodyBytes - utf8Length(snowplowAdapter()(bare, { url: COLLECTOR, sentAt: SENT_AT })[0]?.body ?? '');
  return bare.map((_, i) => make('x'.repeat(Math.floor(extra / count) + (i < extra % count ? 1 : 0)), i));
}

describe('snowplow adapter', () => {
  it('maps page, track, identify and alias to one tp2 payload_data request (golden)', () => {
    const requests = snowplowAdapter({ appId: 'shop' })(FIXTURES, { url: COLLECTOR, sentAt: SENT_AT });
    expectGolden('snowplow', readable(requests));
  });

  it('uses only payload_data 1-0-4 properties, all strings, with the required tv, p and e', () => {
    for (const payload of payloads(snowplowAdapter({ appId: 'shop' })(FIXTURES, { url: COLLECTOR, sentAt: SENT_AT }))) {
      for (const [key, value] of Object.entries(payload)) {
        expect(PAYLOAD_DATA_KEYS.has(key), key).toBe(true);
        expect(typeof value, key).toBe('string');
      }
      expect(payload).toHaveProperty('tv');
      expect(payload).toHaveProperty('p', 'web');
      expect(payload).toHaveProperty('e');
    }
  });

  it('carries the active experiment assignments in the attune_context entity', () => {
    const payload = toSnowplowPayload(event(1, { experiments: { 'hero-test': 'reminder' } }), SENT_AT);
    const contexts = JSON.parse(payload.co ?? '{}') as { data: { schema: string; data: Record<string, unknown> }[] };
    const attune = contexts.data.find((entity) => entity.schema.includes('/attune_context/'));
    expect(attune?.data.experiments).toEqual({ 'hero-test': 'reminder' });
  });

  it('sends a page as a page view with url, title and referrer, and its properties as an entity', () => {
    const payload = toSnowplowPayload(event(0), SENT_AT);
    expect(payload).toMatchObject({ e: 'pv', url: event(0).context.page.url, page: 'Jackets | Attune Outfitters', refr: 'https://mail.example/' });
    expect(payload).not.toHaveProperty('ue_pr');
    expect(JSON.parse(payload.co ?? '').data).toContainEqual({ schema: 'iglu:dev.attune/page_view/jsonschema/1-0-0', data: { category: 'outerwear' } });
  });

  it('sends a track event as a self-describing event named after it, with timestamps in ms', () => {
    const payload = toSnowplowPayload(event(1), SENT_AT, { vendor: 'com.acme' });
    expect(payload).toMatchObject({ e: 'ue', eid: event(1).id, dtm: '1795435205250', stm: '1795435320000' });
    expect(JSON.parse(payload.ue_pr ?? '')).toEqual({
      schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0',
      data: { schema: 'iglu:com.acme/product_viewed/jsonschema/1-0-0', data: { sku: 'JKT-1', price: 129.5, tags: ['rain', 'wind'] } },
    });
  });

  it('sends identify traits and alias ids as self-describing events, with the user id as uid', () => {
    const identify = toSnowplowPayload(event(2), SENT_AT);
    expect(identify).toMatchObject({ e: 'ue', uid: 'user-42', duid: event(2).anonymousId });
    expect(JSON.parse(identify.ue_pr ?? '').data).toEqual({ schema: 'iglu:dev.attune/identify/jsonschema/1-0-0', data: { email: 'ada@example.com', plan: 'pro' } });
    const alias = toSnowplowPayload(event(3), SENT_AT);
    expect(JSON.parse(alias.ue_pr ?? '').data).toEqual({
      schema: 'iglu:dev.attune/alias/jsonschema/1-0-0',
      data: { previousId: '019ab1c1-ffff-7000-8000-00000000a001', userId: 'user-42' },
    });
  });

  it('carries type, name, session, consent, device type and campaign in the attune_context entity', () => {
    const co = JSON.parse(toSnowplowPayload(event(0), SENT_AT).co ?? '');
    expect(co.schema).toBe('iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0');
    expect(co.data[0]).toEqual({
      schema: 'iglu:dev.attune/attune_context/jsonschema/1-0-0',
      data: {
        type: 'page',
        name: 'page_view',
        sessionId: '019ab1c1-ffff-7000-8000-00000000c001',
        consent: ['analytics', 'personalization'],
        deviceType: 'desktop',
        channel: 'web',
        campaign: { source: 'newsletter', name: 'winter' },
      },
    });
  });

  it('turns characters Iglu names refuse into underscores, keeping the original name in the entity', () => {
    expect(igluName('Order Completed.v2')).toBe('Order_Completed_v2');
    expect(igluName('')).toBe('event');
    const payload = toSnowplowPayload(event(1, { name: 'Order Completed' }), SENT_AT);
    expect(JSON.parse(payload.ue_pr ?? '').data.schema).toBe('iglu:dev.attune/Order_Completed/jsonschema/1-0-0');
    expect(JSON.parse(payload.co ?? '').data[0].data.name).toBe('Order Completed');
  });

  it('sends sid only when the session id is a UUID (Snowplow rejects the event otherwise)', () => {
    expect(toSnowplowPayload(event(1), SENT_AT).sid).toBe('019ab1c1-ffff-7000-8000-00000000c001');
    expect(toSnowplowPayload(event(1, { sessionId: 'not-a-uuid' }), SENT_AT)).not.toHaveProperty('sid');
    expect(toSnowplowPayload(event(1, { sessionId: '' }), SENT_AT)).not.toHaveProperty('sid');
  });

  it('leaves out empty fields: unknown screen, locale, timezone, referrer, title, app id, user id', () => {
    const bare = event(1, {
      context: {
        ...event(1).context,
        page: { url: 'https://shop.example/', path: '/', search: '', title: '', referrer: '' },
        locale: '',
        timezone: '',
        device: { type: 'desktop', screen: { width: 0, height: 0 } },
      },
    });
    expect(Object.keys(toSnowplowPayload(bare, SENT_AT)).sort()).toEqual(['co', 'dtm', 'duid', 'e', 'eid', 'p', 'sid', 'stm', 'tv', 'ue_pr', 'url']);
  });

  it('uses the vendor, app id and tracker version settings', () => {
    const payload = toSnowplowPayload(event(1), SENT_AT, { vendor: 'com.acme', appId: 'web-shop', trackerVersion: 'acme-1.2.3' });
    expect(payload).toMatchObject({ aid: 'web-shop', tv: 'acme-1.2.3' });
    expect(JSON.parse(payload.co ?? '').data[0].schema).toBe('iglu:com.acme/attune_context/jsonschema/1-0-0');
    expect(toSnowplowPayload(event(1), SENT_AT).tv).toBe('attune-0.1.0');
  });

  it('appends the tp2 path once, whatever the trailing slashes', () => {
    for (const url of ['https://sp.example', 'https://sp.example/', 'https://sp.example/com.snowplowanalytics.snowplow/tp2']) {
      expect(snowplowAdapter()([event(1)], { url, sentAt: SENT_AT })[0]?.url).toBe(TP2);
    }
  });

  it('ignores the write key and adds custom headers', () => {
    const [request] = snowplowAdapter()([event(1)], { url: COLLECTOR, sentAt: SENT_AT, writeKey: 'wk_123', headers: { 'X-Tenant': 'acme' } });
    expect(request?.headers).toEqual({ 'content-type': 'application/json; charset=UTF-8', 'x-tenant': 'acme' });
  });

  it('sends nothing for an empty batch', () => {
    expect(snowplowAdapter()([], { url: COLLECTOR, sentAt: SENT_AT })).toEqual([]);
  });

  it('keeps a request of exactly 40 KiB whole and splits one a byte larger, keeping the order', () => {
    const whole = snowplowAdapter()(eventsFilling(4, SNOWPLOW_MAX_REQUEST_BYTES), { url: COLLECTOR, sentAt: SENT_AT });
    expect(whole).toHaveLength(1);
    expect(utf8Length(whole[0]?.body ?? '')).toBe(SNOWPLOW_MAX_REQUEST_BYTES);
    const events = eventsFilling(4, SNOWPLOW_MAX_REQUEST_BYTES + 1);
    const split = snowplowAdapter()(events, { url: COLLECTOR, sentAt: SENT_AT });
    expect(split).toHaveLength(2);
    expect(payloads(split).map((p) => p.eid)).toEqual(events.map((e) => e.id));
    for (const request of split) {
      expect(utf8Length(request.body)).toBeLessThanOrEqual(SNOWPLOW_MAX_REQUEST_BYTES);
      expect(JSON.parse(request.body).schema).toBe('iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4');
    }
  });
});
