import { KEEPALIVE_MAX_BYTES, mergeHeaders, packBodies, type AdapterOptions, type CollectorAdapter, type CollectorRequest } from './types.js';

/**
 * Largest JSON request body, in UTF-8 bytes, while the page is not being hidden: a request costs
 * the page about the same main-thread time whatever its size, so a backlog goes in few of them.
 * 500,000 stays under the 1 MB most servers accept by default (nginx's client_max_body_size).
 * Sends with keepalive stay within {@link KEEPALIVE_MAX_BYTES}.
 */
export const JSON_MAX_REQUEST_BYTES = 500_000;

/**
 * Attune's own format, for any HTTP endpoint: `POST <url>` with body
 * `{"batch": [event, ...], "sentAt": iso}`, each event exactly as queued.
 *
 * Sent as `text/plain;charset=UTF-8` so the request is CORS-simple (no preflight), which also lets
 * it go out with `keepalive` while the page unloads. A write key (header `x-attune-write-key`) or
 * custom headers make it non-simple: the browser then sends a preflight first. A custom
 * `content-type` replaces the default.
 *
 * Batches over {@link JSON_MAX_REQUEST_BYTES} (over {@link KEEPALIVE_MAX_BYTES} with `keepalive`)
 * are split into several requests, in queue order.
 */
export const jsonAdapter: CollectorAdapter = (events, options) => jsonRequests(events.map((event) => JSON.stringify(event)), options);

let encoder: TextEncoder | undefined;
let scratch = new Uint8Array(0);

/**
 * UTF-8 length of an event's text (at most 32 KiB). For texts this long, `encodeInto` a reused
 * buffer costs less than utf8Length's loop (Chromium, 700 characters: ~1.2 against 1.8 µs); for
 * the short texts track() measures it costs more (0.4 against 0.14 µs for 16), so only here.
 */
function textBytes(text: string): number {
  encoder ??= new TextEncoder();
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  return encoder.encodeInto(text, scratch).written;
}

/**
 * The same requests from the events' JSON texts: delivery sends the queue's stored texts as they
 * are (storage/stored-queue.ts), without making objects of them and serializing them again.
 */
export function jsonRequests(texts: readonly string[], options: AdapterOptions): CollectorRequest[] {
  if (texts.length === 0) return [];
  const headers = mergeHeaders(
    { 'content-type': 'text/plain;charset=UTF-8' },
    options.writeKey ? { 'x-attune-write-key': options.writeKey } : undefined,
    options.headers,
  );
  // Built by concatenation so the size of each body is known before it exists; the result is
  // byte-for-byte what JSON.stringify({ batch, sentAt }) gives.
  const suffix = `],"sentAt":${JSON.stringify(options.sentAt)}}`;
  const bodies = packBodies(texts, options.keepalive ? KEEPALIVE_MAX_BYTES : JSON_MAX_REQUEST_BYTES, (joined) => `{"batch":[${joined}${suffix}`, textBytes);
  return bodies.map((body) => ({ url: options.url, headers: { ...headers }, body }));
}
