import { utf8Length } from '../utf8-length.js';
import { outcomeOfStatus, type SendOutcome } from './retry-policy.js';

/** One HTTP request to a collector, as built by an adapter. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Browsers refuse keepalive requests whose bodies add up to more than 64 KB in flight. */
const KEEPALIVE_MAX_BYTES = 60_000;

/**
 * Sends one request and classifies the answer. Small bodies go out with `keepalive`, so a send
 * started while the page unloads still completes.
 */
export async function sendRequest(request: OutgoingRequest, fetchImpl: typeof fetch, nowMs: () => number): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      keepalive: utf8Length(request.body) <= KEEPALIVE_MAX_BYTES,
      credentials: 'omit',
    });
  } catch (error) {
    return { kind: 'retry', reason: `network error (${error instanceof Error ? error.message : String(error)})` };
  }
  return outcomeOfStatus(response.status, response.headers.get('retry-after'), nowMs());
}

/** Sends requests in order; stops at the first that is not accepted and returns its outcome. */
export async function sendAll(requests: readonly OutgoingRequest[], fetchImpl: typeof fetch, nowMs: () => number): Promise<SendOutcome> {
  for (const request of requests) {
    const outcome = await sendRequest(request, fetchImpl, nowMs);
    if (outcome.kind !== 'ok') return outcome;
  }
  return { kind: 'ok' };
}
