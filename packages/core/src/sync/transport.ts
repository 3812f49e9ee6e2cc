import { utf8Length } from '../utf8-length.js';
import { KEEPALIVE_MAX_BYTES } from './adapters/types.js';
import { outcomeOfStatus, type SendOutcome } from './retry-policy.js';

/** One HTTP request to a collector, as built by an adapter. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request and classifies the answer. While the page is being hidden (`leaving`), small
 * bodies go out with `keepalive` so the send survives the unload; otherwise not, because every
 * keepalive request counts against the browser's shared 64 KB in-flight quota.
 */
export async function sendRequest(
  request: OutgoingRequest,
  fetchImpl: typeof fetch,
  nowMs: () => number,
  timeoutMs: number,
  leaving = false,
): Promise<SendOutcome> {
  // A collector that never answers must not stall the queue: abort and retry later.
  const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = abort ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      keepalive: leaving && utf8Length(request.body) <= KEEPALIVE_MAX_BYTES,
      credentials: 'omit',
      ...(abort ? { signal: abort.signal } : {}),
    });
  } catch (error) {
    const timedOut = abort?.signal.aborted === true;
    return { kind: 'retry', reason: timedOut ? `no answer within ${timeoutMs} ms` : `network error (${error instanceof Error ? error.message : String(error)})` };
  } finally {
    clearTimeout(timer);
  }
  // Read the (small) answer to the end: until then the browser keeps the request in flight, and
  // in-flight keepalive requests would exhaust its quota.
  await response.text().catch(() => undefined);
  return outcomeOfStatus(response.status, response.headers.get('retry-after'), nowMs());
}

/** Sends requests in order; stops at the first that is not accepted and returns its outcome. */
export async function sendAll(
  requests: readonly OutgoingRequest[],
  fetchImpl: typeof fetch,
  nowMs: () => number,
  timeoutMs: number,
  leaving = false,
): Promise<SendOutcome> {
  for (const request of requests) {
    const outcome = await sendRequest(request, fetchImpl, nowMs, timeoutMs, leaving);
    if (outcome.kind !== 'ok') return outcome;
  }
  return { kind: 'ok' };
}
