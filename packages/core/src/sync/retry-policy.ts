/**
 * What to do with a collector's answer. 2xx: done. 408, 429, 5xx and network errors: retry later
 * (honoring Retry-After). Any other status: the batch is poison (the collector will never accept
 * it), so it is dropped, counted and reported instead of blocking the queue forever.
 */
export type SendOutcome = { kind: 'ok' } | { kind: 'retry'; afterMs?: number; reason: string } | { kind: 'poison'; reason: string };

export function outcomeOfStatus(status: number, retryAfter: string | null, nowMs: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 408 || status === 429 || status >= 500) {
    const afterMs = parseRetryAfter(retryAfter, nowMs);
    return afterMs === undefined ? { kind: 'retry', reason: `status ${status}` } : { kind: 'retry', afterMs, reason: `status ${status}` };
  }
  return { kind: 'poison', reason: `status ${status}` };
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
