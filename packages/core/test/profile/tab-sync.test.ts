import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';
import { createTabSync, type TabMessage } from '../../src/profile/tab-sync.js';

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const sync of opened.splice(0)) sync.close();
});

let n = 0;
function tab(name: string) {
  const received: TabMessage[] = [];
  const sync = createTabSync(name, (message) => received.push(message));
  opened.push(sync);
  return { sync, received };
}
const event = (): ProfileEventInput => ({ id: `e${++n}`, name: 'product_viewed', timestampMs: 1_790_000_000_000 + n, properties: { sku: `A${n}` } });

describe('createTabSync', () => {
  it('delivers every event of a burst to the other tabs, in order, as one message', async () => {
    const name = `attune:test-${++n}`;
    const a = tab(name);
    const b = tab(name);
    const c = tab(name);
    const burst = [event(), event(), event()];
    for (const e of burst) a.sync.event(e);
    await expect.poll(() => b.received.length).toBe(1);
    await expect.poll(() => c.received.length).toBe(1);
    expect(b.received[0]).toEqual({ kind: 'events', events: burst });
    expect(c.received[0]).toEqual({ kind: 'events', events: burst });
    expect(a.received).toEqual([]);
  });

  it('sends a later burst as a message of its own', async () => {
    const name = `attune:test-${++n}`;
    const a = tab(name);
    const b = tab(name);
    const first = event();
    a.sync.event(first);
    await expect.poll(() => b.received.length).toBe(1);
    const second = [event(), event()];
    for (const e of second) a.sync.event(e);
    await expect.poll(() => b.received.length).toBe(2);
    expect(b.received.map((m) => (m.kind === 'events' ? m.events.map((e) => e.id) : m.kind))).toEqual([[first.id], second.map((e) => e.id)]);
  });

  it('posts nothing once closed, not even the burst tracked just before (a closed channel throws)', async () => {
    const name = `attune:test-${++n}`;
    const a = tab(name);
    const b = tab(name);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      a.sync.event(event());
      a.sync.close();
      expect(() => a.sync.post({ kind: 'profile' })).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(b.received).toEqual([]);
  });
});
