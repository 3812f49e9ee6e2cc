import { describe, expect, it } from 'vitest';
import { sendRequest } from '../../src/sync/transport.js';

function recordingFetch(status = 200) {
  const calls: RequestInit[] = [];
  const fetchImpl = (async (_url: unknown, init?: RequestInit) => {
    calls.push(init ?? {});
    return new Response('{"ok":true}', { status });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const request = (body: string) => ({ url: 'https://c.test/collect', headers: { 'content-type': 'text/plain' }, body });

describe('transport', () => {
  it('uses keepalive only while the page is being hidden, and only for bodies that fit its 64 KB quota', async () => {
    const { calls, fetchImpl } = recordingFetch();
    await sendRequest(request('small'), fetchImpl, Date.now, 1000, false);
    await sendRequest(request('small'), fetchImpl, Date.now, 1000, true);
    await sendRequest(request('x'.repeat(70_000)), fetchImpl, Date.now, 1000, true);
    expect(calls.map((init) => init.keepalive)).toEqual([false, true, false]);
  });

  it('classifies the answer and passes on Retry-After', async () => {
    const fetchImpl = (async () => new Response('', { status: 429, headers: { 'retry-after': '3' } })) as typeof fetch;
    expect(await sendRequest(request('x'), fetchImpl, Date.now, 1000)).toEqual({ kind: 'retry', afterMs: 3000, reason: 'status 429' });
  });

  it('turns a network error into a retry', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await sendRequest(request('x'), fetchImpl, Date.now, 1000)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('Failed to fetch') });
  });
});
