import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../src/environment.js';
import { RetryLater } from '../../src/sync/flush-queue.js';
import { createFlushScheduler } from '../../src/sync/flush-scheduler.js';

/** A manual clock and timer queue, so backoff delays can be read instead of waited for. */
function manualTimers() {
  let now = 0;
  const timers: Array<{ at: number; callback: () => void }> = [];
  const env = resolveEnvironment({
    now: () => now,
    setTimeout: (callback, ms) => {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      const index = timers.indexOf(handle as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
  });
  return {
    env,
    pendingDelays: () => timers.map((timer) => timer.at - now),
    async fireNext() {
      timers.sort((a, b) => a.at - b.at);
      const timer = timers.shift();
      if (!timer) throw new Error('no timer armed');
      now = timer.at;
      timer.callback();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe('flush scheduler', () => {
  it('batches: several soon() calls arm one flush after the interval', async () => {
    const timers = manualTimers();
    let flushes = 0;
    const scheduler = createFlushScheduler(timers.env, async () => (flushes++, true), 1000);
    scheduler.soon();
    scheduler.soon();
    expect(timers.pendingDelays()).toEqual([1000]);
    await timers.fireNext();
    expect(flushes).toBe(1);
  });

  it('waits as long as Retry-After says before trying again', async () => {
    const timers = manualTimers();
    const scheduler = createFlushScheduler(timers.env, async () => {
      throw new RetryLater('status 429', 30_000);
    }, 1000);
    await expect(scheduler.now()).rejects.toBeInstanceOf(RetryLater);
    expect(timers.pendingDelays()).toEqual([30_000]);
  });

  it('does not flush automatically during a retry delay, but an explicit flush may', async () => {
    const timers = manualTimers();
    let calls = 0;
    const scheduler = createFlushScheduler(timers.env, async () => {
      calls++;
      throw new RetryLater('status 503', 10_000);
    }, 1000);
    await scheduler.now().catch(() => undefined);
    await scheduler.now();
    expect(calls).toBe(1);
    await scheduler.now(true).catch(() => undefined);
    expect(calls).toBe(2);
  });

  it('grows the delay after consecutive failures (full jitter) and resets after a success', async () => {
    const timers = manualTimers();
    let fail = true;
    const scheduler = createFlushScheduler(timers.env, async () => {
      if (fail) throw new RetryLater('network error');
      return true;
    }, 1000, () => 0.999);
    await scheduler.now().catch(() => undefined);
    const first = timers.pendingDelays()[0]!;
    await timers.fireNext();
    const second = timers.pendingDelays()[0]!;
    expect(second).toBeGreaterThan(first);
    fail = false;
    await timers.fireNext();
    expect(scheduler.failures()).toBe(0);
    expect(timers.pendingDelays()).toEqual([]);
  });

  it('waits a minute, then longer up to an hour, after auth or routing failures', async () => {
    const timers = manualTimers();
    const scheduler = createFlushScheduler(timers.env, async () => {
      throw new RetryLater('status 401', undefined, true);
    }, 1000, () => 0.999);
    await scheduler.now().catch(() => undefined);
    const delays = [timers.pendingDelays()[0]!];
    for (let i = 0; i < 10; i++) {
      await timers.fireNext().catch(() => undefined);
      delays.push(timers.pendingDelays()[0]!);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(60_000);
    expect(delays[0]).toBeLessThan(120_000);
    expect(delays.at(-1)).toBeGreaterThan(3_000_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3_600_000);
  });

  it('tries again after the interval when another tab held the flush lock', async () => {
    const timers = manualTimers();
    const scheduler = createFlushScheduler(timers.env, async () => false, 1000);
    await scheduler.now();
    expect(timers.pendingDelays()).toEqual([1000]);
  });

  it('an explicit flush during a running one runs again after it: what was queued meanwhile is sent before it resolves', async () => {
    const timers = manualTimers();
    const queue = ['a'];
    const sent: string[][] = [];
    let release!: () => void;
    const scheduler = createFlushScheduler(timers.env, async () => {
      const batch = queue.splice(0); // Read when the flush starts, as the queue is peeked.
      if (sent.length === 0) await new Promise<void>((resolve) => (release = resolve));
      sent.push(batch);
      return true;
    }, 1000);
    scheduler.soon();
    await timers.fireNext(); // The timed flush starts and reads ['a'].
    queue.push('b'); // Tracked while that flush is still sending.
    const explicit = scheduler.now(true);
    release();
    await explicit;
    expect(sent).toEqual([['a'], ['b']]);
  });

  it('an automatic flush during a running one does not stack another', async () => {
    const timers = manualTimers();
    let flushes = 0;
    let release!: () => void;
    const scheduler = createFlushScheduler(timers.env, async () => {
      flushes++;
      await new Promise<void>((resolve) => (release = resolve));
      return true;
    }, 1000);
    const first = scheduler.now();
    const second = scheduler.now(); // Page hidden, back online: joins the running flush.
    release();
    await Promise.all([first, second]);
    expect(flushes).toBe(1);
  });
});
