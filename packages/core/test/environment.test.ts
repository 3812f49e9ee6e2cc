import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveEnvironment } from '../src/environment.js';

afterEach(() => vi.unstubAllGlobals());

describe("the environment's fetch", () => {
  it('sends a text body as a Blob of the same bytes, as text with keepalive, and anything else as given', async () => {
    const calls: [unknown, RequestInit | undefined][] = [];
    vi.stubGlobal('fetch', async (input: unknown, init?: RequestInit) => {
      calls.push([input, init]);
      return new Response(null, { status: 204 });
    });
    const { fetch } = resolveEnvironment();
    const headers = { 'content-type': 'text/plain;charset=UTF-8' };
    await fetch!('https://c.test/collect', { method: 'POST', headers, body: '{"batch":["é"]}', credentials: 'omit' });
    await fetch!('https://c.test/collect', { method: 'POST', headers, body: '{"batch":["é"]}', keepalive: true });
    await fetch!('https://c.test/bundle.json');
    const [[url, sent], [, kept], [, none]] = calls as [[unknown, RequestInit], [unknown, RequestInit], [unknown, RequestInit | undefined]];
    expect(url).toBe('https://c.test/collect');
    expect(sent.body).toBeInstanceOf(Blob);
    expect(await new Response(sent.body).text()).toBe('{"batch":["é"]}');
    expect({ ...sent, body: undefined }).toEqual({ method: 'POST', headers, body: undefined, credentials: 'omit' });
    expect(kept.body).toBe('{"batch":["é"]}');
    expect(none).toBeUndefined();
  });
});
