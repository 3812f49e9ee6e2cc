import type { AttuneEvent } from '../../events/event.js';
import { ATTUNE_LIBRARY, mergeHeaders, packBodies, type CollectorAdapter } from './types.js';

/**
 * Largest Snowplow request body. Snowplow collectors take much more, but browsers refuse a
 * `keepalive` request once in-flight keepalive bodies exceed 64 KiB, and unload sends need it;
 * 40 KiB leaves room for a JSON or Segment send in flight at the same time.
 */
export const SNOWPLOW_MAX_REQUEST_BYTES = 40 * 1024;

/** The tracker protocol's POST path, appended to the collector base URL. */
export const SNOWPLOW_POST_PATH = '/com.snowplowanalytics.snowplow/tp2';

const PAYLOAD_DATA_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const UNSTRUCT_EVENT_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0';
const CONTEXTS_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0';
// Snowplow's enrich rejects the whole event when `sid` is not a UUID (it maps to domain_sessionid).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options of {@link snowplowAdapter}. */
export interface SnowplowSettings {
  /** Iglu vendor of the self-describing schemas Attune sends (default `dev.attune`). */
  vendor?: string;
  /** Snowplow `aid` (application id). */
  appId?: string;
  /** Snowplow `tv` (tracker version); default `attune-<version of @attune/core>`. */
  trackerVersion?: string;
}

/** One event in tracker-protocol form: every value is a string (payload_data 1-0-4). */
export type SnowplowPayload = Record<string, string>;

/**
 * Iglu schema names allow only letters, digits, `_` and `-`; anything else in an event name
 * (spaces, dots) becomes `_`. The original name travels in the `attune_context` entity.
 */
export function igluName(eventName: string): string {
  const name = eventName.replace(/[^a-zA-Z0-9_-]/g, '_');
  return name === '' ? 'event' : name;
}

function selfDescribing(vendor: string, name: string, data: unknown): { schema: string; data: unknown } {
  return { schema: `iglu:${vendor}/${name}/jsonschema/1-0-0`, data };
}

/** What a self-describing (`ue`) event carries for each Attune event type. */
function eventData(event: AttuneEvent): Record<string, unknown> {
  if (event.type === 'identify') return event.traits ?? {};
  if (event.type === 'alias') {
    return { ...(event.previousId !== undefined ? { previousId: event.previousId } : {}), ...(event.userId ? { userId: event.userId } : {}) };
  }
  return event.properties;
}

/**
 * Maps one Attune event to a tracker-protocol payload. Pages become page views (`pv`); track,
 * identify and alias become self-describing events (`ue`) with the schema
 * `iglu:<vendor>/<event name>/jsonschema/1-0-0`. Every event carries the entity
 * `iglu:<vendor>/attune_context/jsonschema/1-0-0` (Attune-only fields: type, name, session,
 * consent, device type, channel, campaign); a page's own properties travel as the entity
 * `iglu:<vendor>/<event name>/jsonschema/1-0-0`. Empty values are left out, as Snowplow's trackers do.
 */
export function toSnowplowPayload(event: AttuneEvent, sentAt: string, settings: SnowplowSettings = {}): SnowplowPayload {
  const vendor = settings.vendor ?? 'dev.attune';
  const { page, locale, timezone, device, campaign, channel } = event.context;
  const entities = [
    selfDescribing(vendor, 'attune_context', {
      type: event.type,
      name: event.name,
      sessionId: event.sessionId,
      consent: event.consent,
      deviceType: device.type,
      channel,
      ...(Object.keys(campaign).length > 0 ? { campaign } : {}),
      ...(event.experiments ? { experiments: event.experiments } : {}),
    }),
  ];
  if (event.type === 'page' && Object.keys(event.properties).length > 0) {
    entities.push(selfDescribing(vendor, igluName(event.name), event.properties));
  }
  const fields: Array<[string, string | undefined]> = [
    ['e', event.type === 'page' ? 'pv' : 'ue'],
    ['eid', event.id],
    ['tv', settings.trackerVersion ?? `attune-${ATTUNE_LIBRARY.version}`],
    ['p', 'web'],
    ['aid', settings.appId],
    ['dtm', String(Date.parse(event.timestamp))],
    ['stm', String(Date.parse(sentAt))],
    ['duid', event.anonymousId],
    ['uid', event.userId],
    ['sid', UUID.test(event.sessionId) ? event.sessionId : undefined],
    ['url', page.url],
    ['refr', page.referrer],
    ['page', page.title],
    ['lang', locale],
    ['tz', timezone],
    // 0x0 means "unknown" (Node, tests), not a real screen.
    ['res', device.screen.width > 0 && device.screen.height > 0 ? `${device.screen.width}x${device.screen.height}` : undefined],
    [
      'ue_pr',
      event.type === 'page'
        ? undefined
        : JSON.stringify({ schema: UNSTRUCT_EVENT_SCHEMA, data: selfDescribing(vendor, igluName(event.name), eventData(event)) }),
    ],
    ['co', JSON.stringify({ schema: CONTEXTS_SCHEMA, data: entities })],
  ];
  const payload: SnowplowPayload = {};
  for (const [key, value] of fields) if (value !== undefined && value !== '') payload[key] = value;
  return payload;
}

/** `<base>/com.snowplowanalytics.snowplow/tp2`, unless the URL already ends with that path. */
function tp2Url(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(SNOWPLOW_POST_PATH) ? trimmed : trimmed + SNOWPLOW_POST_PATH;
}

/**
 * Snowplow's tracker protocol over POST: `POST <collector>/com.snowplowanalytics.snowplow/tp2`
 * with a `payload_data` self-describing JSON, `content-type: application/json; charset=UTF-8`
 * (a CORS preflight in the browser; Snowplow collectors answer it). Self-describing events and
 * entities are sent unencoded (`ue_pr`, `co`), which the protocol allows. Snowplow has no write
 * key (it is ignored); custom headers are added. Requests are split to stay under
 * {@link SNOWPLOW_MAX_REQUEST_BYTES}.
 *
 * The schemas under `settings.vendor` must exist in the pipeline's Iglu registry, or enrich sends
 * those events to failed events.
 */
export function snowplowAdapter(settings: SnowplowSettings = {}): CollectorAdapter {
  return (events, options) => {
    if (events.length === 0) return [];
    const headers = mergeHeaders({ 'content-type': 'application/json; charset=UTF-8' }, options.headers);
    const items = events.map((event) => JSON.stringify(toSnowplowPayload(event, options.sentAt, settings)));
    const bodies = packBodies(items, SNOWPLOW_MAX_REQUEST_BYTES, (joined) => `{"schema":"${PAYLOAD_DATA_SCHEMA}","data":[${joined}]}`);
    const url = tp2Url(options.url);
    return bodies.map((body) => ({ url, headers: { ...headers }, body }));
  };
}
