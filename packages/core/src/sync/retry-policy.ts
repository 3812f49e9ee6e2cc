/**
 * What to do with a collector's answer. 2xx: done. 408, 429, 5xx and network errors: retry later
 * (honoring Retry-After). 401, 403, 404, 405 and 410 say the collector URL or its credentials are
 * wrong, not the events: retry `slow`ly (from a minute up to an hour), as such a mistake is fixed
 * in minutes, and dropping the batch would drop the whole queue one event at a time. Any other
 * status (400, 413, 422…): the batch is poison (the collector will never accept it), so it is
 * dropped, counted and reported instead of blocking the queue forever.
 */
export type SendOutcome = { kind: 'ok' } | { kind: 'retry'; afterMs?: number; slow?: boolean; reason: string } | { kind: 'poison'; reason: string };

const AUTH_OR_ROUTING = [401, 403, 404, 405, 410];

export function outcomeOfStatus(status: number, retryAfter: string | null, nowMs: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const reason = `status ${status}`;
  const afterMs = parseRetryAfter(retryAfter, nowMs);
  if (AUTH_OR_ROUTING.includes(status)) return { kind: 'retry', afterMs, slow: true, reason: `${reason}: check collectorUrl and writeKey` };
  return status === 408 || status === 429 || status >= 500 ? { kind: 'retry', afterMs, reason } : { kind: 'poison', reason };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): a uniformly random delay between
 * 0 and min(maxMs, baseMs * 2^attempt), floored at baseMs so a failing collector is never hammered.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.max(baseMs, Math.floor(random() * ceiling));
}
