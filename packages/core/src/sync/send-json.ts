import { AttuneError } from '../errors.js';
import type { AttuneEvent } from '../events/event.js';
import type { SendBatch } from './flush-queue.js';

/**
 * The default collector format: `POST <url>` with body `{"batch": [event, ...], "sentAt": iso}`.
 * Sent as text/plain so the request is CORS-simple (no preflight), which also lets it go out with
 * `keepalive` while the page unloads.
 */
export function createJsonSender(
  url: string,
  fetchImpl: typeof fetch,
  now: () => number,
  options: { keepalive?: boolean } = {},
): SendBatch {
  return async (events: AttuneEvent[]) => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ batch: events, sentAt: new Date(now()).toISOString() }),
        keepalive: options.keepalive === true,
        credentials: 'omit',
      });
    } catch (cause) {
      throw new AttuneError('sync-failed', `Could not reach the collector at ${url}; events stay queued and are retried.`, cause);
    }
    if (!response.ok) {
      throw new AttuneError('sync-failed', `The collector at ${url} answered ${response.status}; events stay queued and are retried.`);
    }
  };
}
