import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: the dev collector is plain JavaScript without type declarations.
import { createCollector } from '../collector.mjs';

type Collector = { listen(port: number): Promise<number>; close(): Promise<void> };
let running: Collector | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  const eventsFile = join(mkdtempSync(join(tmpdir(), 'attune-collector-')), 'events.ndjson');
  running = createCollector({ eventsFile }) as Collector;
  const port = await running.listen(0);
  return { base: `http://127.0.0.1:${port}`, eventsFile };
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain' } });

describe('dev collector', () => {
  it('appends each new event as one JSON line and drops a redelivered id', async () => {
    const { base, eventsFile } = await start();
    await post(`${base}/collect`, { batch: [{ id: 'a', name: 'one' }, { id: 'b', name: 'two' }] });
    const again = await post(`${base}/collect`, { batch: [{ id: 'b', name: 'two' }] });
    expect(await again.json()).toEqual({ received: 1, stored: 0 });
    const lines = readFileSync(eventsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((event) => event.id)).toEqual(['a', 'b']);
    expect((await (await fetch(`${base}/events?raw=1`)).json()).map((e: { id: string }) => e.id)).toEqual(['a', 'b', 'b']);
  });

  it('answers CORS preflights for the requesting origin', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/collect`, { method: 'OPTIONS', headers: { origin: 'https://shop.test' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.test');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('rejects a body that is not JSON with a 400 that says the expected format', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/collect`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('batch');
  });

  it('can be told to fail or drop connections, and to recover', async () => {
    const { base } = await start();
    await post(`${base}/_control`, { mode: 'fail', status: 429 });
    expect((await post(`${base}/collect`, [{ id: 'x' }])).status).toBe(429);
    await post(`${base}/_control`, { mode: 'down' });
    await expect(post(`${base}/collect`, [{ id: 'x' }])).rejects.toThrow();
    await post(`${base}/_control`, { mode: 'up' });
    expect((await post(`${base}/collect`, [{ id: 'x' }])).status).toBe(200);
  });

  it('never serves files outside the configured folders', async () => {
    const eventsFile = join(mkdtempSync(join(tmpdir(), 'attune-collector-')), 'events.ndjson');
    running = createCollector({ eventsFile, routes: { '/shop/': join(import.meta.dirname, '..') } }) as Collector;
    const base = `http://127.0.0.1:${await running.listen(0)}`;
    expect((await fetch(`${base}/shop/collector.mjs`)).status).toBe(200);
    expect((await fetch(`${base}/shop/..%2F..%2Fpackage.json`)).status).toBe(403);
  });
});
