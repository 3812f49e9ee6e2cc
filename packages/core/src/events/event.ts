import { AttuneError } from '../errors.js';
import type { PageContext } from '../context/read-context.js';
import { isJsonScalar, plainObject } from '../json-value.js';
import { utf8Length } from '../utf8-length.js';

/** Largest accepted event once serialized; bigger events are dropped with a warning. */
export const MAX_EVENT_BYTES = 32 * 1024;

export type EventType = 'track' | 'page' | 'identify' | 'alias';

/** The envelope every collected event has (documented in docs/collector-formats.md). */
export interface AttuneEvent {
  /** UUIDv7: unique and time-ordered, so collectors can drop duplicates. */
  id: string;
  type: EventType;
  name: string;
  /** ISO 8601 time the event happened on the device. */
  timestamp: string;
  anonymousId: string;
  /** Set after `identify(userId)`; absent for anonymous visitors. */
  userId?: string;
  /** Session id: a new session starts after 30 minutes without events. */
  sessionId: string;
  context: PageContext;
  properties: Record<string, unknown>;
  /** `identify` events: the traits given. */
  traits?: Record<string, unknown>;
  /** `alias` events: the id the user was known by before. */
  previousId?: string;
  /** Purposes granted when the event was collected. */
  consent: string[];
  /**
   * The visitor's active experiment assignments when the event was collected (experiment id →
   * variant key, or "holdout"), so reports need no joins. Absent when there are none.
   */
  experiments?: Readonly<Record<string, string>>;
}

/**
 * Validates what the host passed to `track` / `page`. Throws an `AttuneError('event-invalid')`
 * saying what is wrong; the client turns that into a console warning. Two checks, written out:
 * a schema cost a quarter of track()'s time.
 */
export function validateEventInput(name: unknown, given: unknown): { name: string; properties: Record<string, unknown> } {
  // No properties (undefined or null) are none.
  const properties = given ?? {};
  const nameOk = typeof name === 'string' && name.length > 0 && name.length <= 200;
  if (nameOk && plainObject(properties)) return { name, properties };
  const invalid = [nameOk ? '' : 'name', plainObject(properties) ? '' : 'properties'].filter(Boolean).join(', ');
  throw new AttuneError('event-invalid', `Event ${JSON.stringify(String(name))} was dropped: invalid ${invalid} (name: 1 to 200 characters; properties: a plain object).`);
}

/** The envelope's fixed fields (three UUIDs, timestamp, type, consent, keys): about 275 bytes. */
const ENVELOPE_BYTES = 300;
/** The page context is shared by every event of a page view: measure it once. */
const contextBytes = new WeakMap<object, number>();

/**
 * Proves the event is JSON-safe and within the size limit, and returns its size in UTF-8 bytes:
 * the properties and traits are serialized (the part the host controls), the shared context is
 * measured once per page view, and the fixed envelope is estimated (ENVELOPE_BYTES).
 */
export function measureEvent(event: AttuneEvent): number {
  let json: string;
  try {
    json = JSON.stringify(event.properties);
    // The event keeps the JSON it will be sent as: a function, symbol or proxy inside would fail
    // the structured clone of IndexedDB and tab sync (and the good events of its burst with it),
    // and later changes by the page would change what is sent. Flat properties of JSON scalars
    // (the common case) are the same as their JSON: copied, this step takes half the time of a parse.
    event.properties = Object.values(event.properties).every(isJsonScalar) ? { ...event.properties } : JSON.parse(json);
    json += event.traits === undefined ? '' : JSON.stringify(event.traits);
  } catch (cause) {
    throw new AttuneError('event-invalid', `Event "${event.name}" was dropped: its properties cannot be serialized to JSON (cyclic or BigInt values?).`, cause);
  }
  let context = contextBytes.get(event.context);
  if (context === undefined) {
    context = utf8Length(JSON.stringify(event.context));
    contextBytes.set(event.context, context);
  }
  const bytes = utf8Length(json) + context + utf8Length(event.name) + ENVELOPE_BYTES;
  if (bytes > MAX_EVENT_BYTES) {
    throw new AttuneError('event-invalid', `Event "${event.name}" was dropped: it is ${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte limit. Send fewer properties.`);
  }
  return bytes;
}
