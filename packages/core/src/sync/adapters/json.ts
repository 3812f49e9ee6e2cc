import { mergeHeaders, packBodies, type CollectorAdapter } from './types.js';

/**
 * Largest JSON request body, in UTF-8 bytes. Browsers refuse a `keepalive` request once the
 * bodies of all in-flight keepalive requests exceed 64 KiB (the Fetch standard's quota), and
 * unload sends need keepalive; 60,000 leaves room for a small send still in flight and matches
 * the size under which the transport asks for keepalive.
 */
export const JSON_MAX_REQUEST_BYTES = 60_000;

/**
 * Attune's own format, for any HTTP endpoint: `POST <url>` with body
 * `{"batch": [event, ...], "sentAt": iso}`, each event exactly as queued.
 *
 * Sent as `text/plain;charset=UTF-8` so the request is CORS-simple (no preflight), which also lets
 * it go out with `keepalive` while the page unloads. A write key (header `x-attune-write-key`) or
 * custom headers make it non-simple: the browser then sends a preflight first. A custom
 * `content-type` replaces the default.
 *
 * Batches over {@link JSON_MAX_REQUEST_BYTES} are split into several requests, in queue order.
 */
export const jsonAdapter: CollectorAdapter = (events, options) => {
  if (events.length === 0) return [];
  const headers = mergeHeaders(
    { 'content-type': 'text/plain;charset=UTF-8' },
    options.writeKey ? { 'x-attune-write-key': options.writeKey } : undefined,
    options.headers,
  );
  // Built by concatenation so the size of each body is known before it exists; the result is
  // byte-for-byte what JSON.stringify({ batch, sentAt }) gives.
  const suffix = `],"sentAt":${JSON.stringify(options.sentAt)}}`;
  const bodies = packBodies(
    events.map((event) => JSON.stringify(event)),
    JSON_MAX_REQUEST_BYTES,
    (joined) => `{"batch":[${joined}${suffix}`,
  );
  return bodies.map((body) => ({ url: options.url, headers: { ...headers }, body }));
};
