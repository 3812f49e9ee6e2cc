import type { AttuneEvent } from '../../events/event.js';
import { utf8Length } from '../../utf8-length.js';

/**
 * The adapter contract: what every collector format turns a batch into, plus the two rules all
 * formats share (header names are case-insensitive, bodies are limited in UTF-8 bytes).
 */

/** One HTTP request to send, fully built: the transport only has to POST it. */
export interface CollectorRequest {
  url: string;
  /** Header names are lower-case, so a custom header replaces a default one instead of doubling it. */
  headers: Record<string, string>;
  body: string;
}

/** What a send needs besides the events; the same for every format. */
export interface AdapterOptions {
  /** The collector endpoint (for snowplow: the collector base URL, the adapter appends the tp2 path). */
  url: string;
  /** ISO time of sending. */
  sentAt: string;
  /** Segment-style write key (Basic auth for segment; ignored by json unless given, then sent as header `x-attune-write-key`). */
  writeKey?: string;
  /** Extra headers (custom auth, tenant id...). */
  headers?: Record<string, string>;
  /**
   * The requests go out with `keepalive` (the page is being hidden): each body stays within
   * {@link KEEPALIVE_MAX_BYTES}. Otherwise a format sends bodies up to its own limit.
   */
  keepalive?: boolean;
}

/**
 * Largest body of a request sent with `keepalive`, in UTF-8 bytes. Browsers refuse a keepalive
 * request once the bodies of all in-flight keepalive requests exceed 64 KiB (the Fetch standard's
 * quota), and unload sends need keepalive; 60,000 leaves room for a small send still in flight.
 */
export const KEEPALIVE_MAX_BYTES = 60_000;

/** Turns a batch of events into one or more HTTP requests (split to respect the format's size limits). */
export type CollectorAdapter = (events: readonly AttuneEvent[], options: AdapterOptions) => CollectorRequest[];

/**
 * The sending library as collectors see it (Segment `context.library`, Snowplow `tv`).
 * A test keeps the version equal to packages/core/package.json: importing the JSON would need a
 * bundler plugin and would put the whole manifest into the browser bundle.
 */
export { utf8Length };

export const ATTUNE_LIBRARY = { name: '@attune/core', version: '0.1.0' } as const;

/**
 * Merges header sets left to right with lower-cased names, so `{'Content-Type': ...}` from the
 * host replaces the adapter's `content-type` (fetch would otherwise join both values with a comma).
 */
export function mergeHeaders(...sets: ReadonlyArray<Readonly<Record<string, string>> | undefined>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const set of sets) {
    if (!set) continue;
    for (const [name, value] of Object.entries(set)) merged[name.toLowerCase()] = value;
  }
  return merged;
}

/**
 * Packs serialized items (JSON texts) into as few bodies as possible, keeping their order, where
 * each body is `wrap(items joined with ",")` and is at most `maxBytes` long. `wrap` must only add
 * a fixed prefix and suffix; `measure` gives an item's UTF-8 length. An item too big to fit even alone gets a body of its own: dropping
 * it is the caller's decision, made before packing.
 */
export function packBodies(items: readonly string[], maxBytes: number, wrap: (joinedItems: string) => string, measure = utf8Length): string[] {
  const envelopeBytes = utf8Length(wrap(''));
  const bodies: string[] = [];
  let current: string[] = [];
  let currentBytes = envelopeBytes;
  for (const item of items) {
    const itemBytes = measure(item);
    const separatorBytes = current.length > 0 ? 1 : 0;
    if (current.length > 0 && currentBytes + separatorBytes + itemBytes > maxBytes) {
      bodies.push(wrap(current.join(',')));
      current = [];
      currentBytes = envelopeBytes;
    }
    currentBytes += (current.length > 0 ? 1 : 0) + itemBytes;
    current.push(item);
  }
  if (current.length > 0) bodies.push(wrap(current.join(',')));
  return bodies;
}
