import { describe, expect, it } from 'vitest';
import { backoffDelay, outcomeOfStatus, parseRetryAfter } from '../../src/sync/retry-policy.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('retry policy', () => {
  it('accepts every 2xx', () => {
    for (const status of [200, 202, 204]) expect(outcomeOfStatus(status, null, NOW)).toEqual({ kind: 'ok' });
  });

  it('retries 408, 429 and 5xx', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(outcomeOfStatus(status, null, NOW).kind).toBe('retry');
  });

  it('retries auth and routing failures (401, 403, 404, 405, 410) slowly: the collector or its key is wrong, not the events', () => {
    for (const status of [401, 403, 404, 405, 410]) {
      expect(outcomeOfStatus(status, null, NOW)).toEqual({ kind: 'retry', slow: true, reason: expect.stringContaining(`status ${status}`) });
    }
    expect(outcomeOfStatus(401, null, NOW)).toMatchObject({ reason: expect.stringMatching(/collectorUrl.*writeKey/) });
    expect(outcomeOfStatus(503, null, NOW)).not.toMatchObject({ slow: true });
  });

  it('treats other 4xx as poison', () => {
    for (const status of [400, 402, 409, 413, 422]) expect(outcomeOfStatus(status, null, NOW).kind).toBe('poison');
  });

  it('honors Retry-After given in seconds or as an HTTP date', () => {
    expect(outcomeOfStatus(429, '7', NOW)).toEqual({ kind: 'retry', afterMs: 7000, reason: 'status 429' });
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped, never below the base delay', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0.999)).toBe(1998);
    expect(backoffDelay(3, 1000, 60_000, () => 0.5)).toBe(4000);
    expect(backoffDelay(20, 1000, 60_000, () => 0.999)).toBe(59_940);
    expect(backoffDelay(5, 1000, 60_000, () => 0)).toBe(1000);
  });
});
