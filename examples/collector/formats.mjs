// The collector formats the dev collector accepts, each turned into the same stored record: the
// original payload plus `id`, `type`, `name` and `format`, so de-duplication by id, GET /events
// and the NDJSON file work the same whatever the SDK's adapter (json, segment, snowplow).

/** A body that parsed as JSON but is not in the route's format (answered with a 400). */
export class FormatError extends Error {}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const stringOrUndefined = (value) => (typeof value === 'string' && value !== '' ? value : undefined);

/** `{batch: [...]}`, a bare array, or one item. */
function itemsOf(payload) {
  if (Array.isArray(payload)) return payload;
  if (isObject(payload) && Array.isArray(payload.batch)) return payload.batch;
  if (isObject(payload)) return [payload];
  return [];
}

/** Attune's JSON batch: events already have id, type and name. */
export function fromJsonBatch(payload) {
  return itemsOf(payload).map((event) => (isObject(event) ? { ...event, format: 'json' } : event));
}

/** Segment's batch call: the id is `messageId`, the name is `event` (track) or `name` (page, screen). */
export function fromSegmentBatch(payload) {
  return itemsOf(payload).map((message) => {
    if (!isObject(message)) return message;
    const type = stringOrUndefined(message.type);
    const name =
      type === 'track' ? stringOrUndefined(message.event) : type === 'page' || type === 'screen' ? (stringOrUndefined(message.name) ?? type) : type;
    return { ...message, id: stringOrUndefined(message.messageId), type, name, format: 'segment' };
  });
}

/** A self-describing JSON from an unencoded (`*_pr`, `co`) or base64 (`*_px`, `cx`) field. */
function selfDescribing(plain, encoded) {
  try {
    if (typeof plain === 'string') return JSON.parse(plain);
    if (typeof encoded === 'string') return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')); // Also reads base64url.
  } catch {
    // Malformed: fall back to what the event type says.
  }
  return undefined;
}

/** `iglu:vendor/NAME/jsonschema/1-0-0` → `NAME`. */
const igluName = (schema) => (typeof schema === 'string' ? schema.split('/')[1] : undefined);

/** Type and name of a tracker-protocol event; the Attune entity, when present, has the originals. */
function snowplowTypeAndName(item) {
  const contexts = selfDescribing(item.co, item.cx);
  const attune = Array.isArray(contexts?.data) ? contexts.data.find((entity) => igluName(entity?.schema) === 'attune_context') : undefined;
  if (isObject(attune?.data) && typeof attune.data.type === 'string' && typeof attune.data.name === 'string') {
    return { type: attune.data.type, name: attune.data.name };
  }
  if (item.e === 'pv') return { type: 'page', name: 'page_view' };
  if (item.e === 'ue') return { type: 'track', name: igluName(selfDescribing(item.ue_pr, item.ue_px)?.data?.schema) ?? 'ue' };
  if (item.e === 'se') return { type: 'track', name: stringOrUndefined(item.se_ac) ?? 'se' };
  return { type: stringOrUndefined(item.e), name: stringOrUndefined(item.e) };
}

/** Snowplow's tracker protocol (POST tp2): a payload_data JSON whose `data` are the events. */
export function fromSnowplowPayload(payload) {
  const schema = isObject(payload) ? payload.schema : undefined;
  if (typeof schema !== 'string' || !schema.startsWith('iglu:com.snowplowanalytics.snowplow/payload_data/') || !Array.isArray(payload.data)) {
    throw new FormatError(
      'body must be a Snowplow payload_data JSON: {"schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data": [events]}',
    );
  }
  return payload.data.map((item) => (isObject(item) ? { ...item, id: stringOrUndefined(item.eid), ...snowplowTypeAndName(item), format: 'snowplow' } : item));
}

/** POST routes that collect events: the format, how to read it, and what to answer a bad body. */
export const COLLECT_ROUTES = {
  '/collect': { format: 'json', toRecords: fromJsonBatch, expected: 'body must be JSON: {"batch": [events]}' },
  '/v1/batch': { format: 'segment', toRecords: fromSegmentBatch, expected: 'body must be JSON: {"batch": [messages], "sentAt": "..."} (Segment batch)' },
  '/com.snowplowanalytics.snowplow/tp2': {
    format: 'snowplow',
    toRecords: fromSnowplowPayload,
    expected: 'body must be JSON: {"schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data": [events]}',
  },
};
