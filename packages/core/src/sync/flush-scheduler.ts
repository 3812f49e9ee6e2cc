import type { AttuneEnvironment } from '../environment.js';

const MAX_RETRY_MS = 60_000;

/**
 * Runs `flush` at most once at a time: soon after events arrive, and after a failure again with
 * exponential backoff and full jitter, so a down collector is not hammered.
 */
export function createFlushScheduler(env: AttuneEnvironment, flush: () => Promise<void>, intervalMs: number) {
  let timer: unknown;
  let running: Promise<void> | undefined;
  let failures = 0;
  let stopped = false;

  function arm(ms: number): void {
    if (stopped || timer !== undefined) return;
    timer = env.setTimeout(() => {
      timer = undefined;
      void run();
    }, ms);
  }

  function run(): Promise<void> {
    if (running) return running;
    running = flush()
      .then(() => {
        failures = 0;
      })
      .catch(() => {
        failures++;
        const ceiling = Math.min(MAX_RETRY_MS, intervalMs * 2 ** failures);
        arm(Math.max(intervalMs, Math.random() * ceiling));
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  return {
    /** Flush after the batching interval (events that arrive meanwhile share the request). */
    soon(): void {
      arm(intervalMs);
    },
    /** Flush now (page hidden, back online, explicit `flush()`); waits for a running flush. */
    now(): Promise<void> {
      if (timer !== undefined) {
        env.clearTimeout(timer);
        timer = undefined;
      }
      return run();
    },
    stop(): void {
      stopped = true;
      if (timer !== undefined) env.clearTimeout(timer);
      timer = undefined;
    },
  };
}
