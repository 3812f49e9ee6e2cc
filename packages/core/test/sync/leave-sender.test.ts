import { describe, expect, it } from 'vitest';
import type { AttuneEvent } from '../../src/events/event.js';
import { jsonAdapter } from '../../src/sync/adapters/json.js';
import { createLeaveSender } from '../../src/sync/leave-sender.js';

const event = (id: string, padding = 0) => ({ id, name: 'e', properties: { padding: 'x'.repeat(padding) } }) as unknown as AttuneEvent;

function recorder(ok = true) {
  const bodies: Array<{ ids: string[]; keepalive: boolean | undefined }> = [];
  const fetchImpl = (async (_url: unknown, init?: RequestInit) => {
    const batch = (JSON.parse(String(init?.body)) as { batch: Array<{ id: string }> }).batch;
    bodies.push({ ids: batch.map((e) => e.id), keepalive: init?.keepalive });
    return new Response('', { status: ok ? 200 : 503 });
  }) as typeof fetch;
  return { bodies, fetchImpl };
}

const options = () => ({ url: 'https://c.test/collect', sentAt: '2026-11-23T12:00:00.000Z' });

describe('send on page hide', () => {
  it('sends every remembered event at once with keepalive and reports the acknowledged ids', async () => {
    const { bodies, fetchImpl } = recorder();
    const acknowledged: string[][] = [];
    const sender = createLeaveSender(jsonAdapter, fetchImpl, options, (ids) => acknowledged.push(ids));
    sender.remember(event('a'));
    sender.remember(event('b'));
    expect(sender.sendNow()).toBe(2);
    expect(bodies).toEqual([{ ids: ['a', 'b'], keepalive: true }]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(acknowledged).toEqual([['a', 'b']]);
    expect(sender.sendNow()).toBe(0);
  });

  it('stays within the 64 KB keepalive budget and leaves the rest for the next visit', () => {
    const { bodies, fetchImpl } = recorder();
    const sender = createLeaveSender(jsonAdapter, fetchImpl, options, () => {});
    for (let i = 0; i < 10; i++) sender.remember(event(`big${i}`, 20_000));
    expect(sender.sendNow()).toBe(2);
    expect(bodies.flatMap((b) => b.ids)).toEqual(['big0', 'big1']);
  });

  it('does not resend events the normal flush already delivered', () => {
    const { bodies, fetchImpl } = recorder();
    const sender = createLeaveSender(jsonAdapter, fetchImpl, options, () => {});
    sender.remember(event('a'));
    sender.remember(event('b'));
    sender.forget(['a']);
    sender.sendNow();
    expect(bodies.flatMap((b) => b.ids)).toEqual(['b']);
  });

  it('sends an event handed over twice once', () => {
    const { bodies, fetchImpl } = recorder();
    const sender = createLeaveSender(jsonAdapter, fetchImpl, options, () => {});
    const a = event('a');
    sender.remember(a);
    sender.remember(event('b'));
    sender.remember(a);
    expect(sender.sendNow()).toBe(2);
    expect(bodies.flatMap((b) => b.ids)).toEqual(['a', 'b']);
  });

  it('keeps the newest 200 events for the page hide', () => {
    const { bodies, fetchImpl } = recorder();
    const sender = createLeaveSender(jsonAdapter, fetchImpl, options, () => {});
    for (let i = 0; i < 250; i++) sender.remember(event(`e${i}`));
    sender.forget(['e100', 'e249', 'unknown']);
    expect(sender.sendNow()).toBe(198);
    const ids = bodies.flatMap((b) => b.ids);
    expect(ids[0]).toBe('e50');
    expect(ids.at(-1)).toBe('e248');
    expect(ids).not.toContain('e100');
  });

  it('does not acknowledge events the collector refused', async () => {
    const { fetchImpl } = recorder(false);
    const acknowledged: string[][] = [];
    const sender = createLeaveSender(jsonAdapter, fetchImpl, options, (ids) => acknowledged.push(ids));
    sender.remember(event('a'));
    sender.sendNow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(acknowledged).toEqual([]);
  });

  it('keeps the events for the next visit when the adapter throws, without throwing itself', async () => {
    const { bodies, fetchImpl } = recorder();
    const acknowledged: string[][] = [];
    let ready = false;
    const adapter: typeof jsonAdapter = (events, opts) => {
      if (!ready) throw new Error('adapter not loaded yet');
      return jsonAdapter(events, opts);
    };
    const sender = createLeaveSender(adapter, fetchImpl, options, (ids) => acknowledged.push(ids));
    sender.remember(event('a'));
    expect(sender.sendNow()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(bodies).toEqual([]);
    expect(acknowledged).toEqual([]);
    // Still remembered: once the adapter works, the same event goes out.
    ready = true;
    expect(sender.sendNow()).toBe(1);
    expect(bodies).toEqual([{ ids: ['a'], keepalive: true }]);
  });
});
