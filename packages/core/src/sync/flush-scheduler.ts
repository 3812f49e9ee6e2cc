import type { AttuneEnvironment } from '../environment.js';
import { backoffDelay } from './retry-policy.js';
import { RetryLater } from './flush-queue.js';

const MAX_RETRY_MS = 60_000;
/** After an auth or routing failure (RetryLater.slow): someone has to fix the collector or its key. */
const SLOW_RETRY_MS = 60_000;
const SLOW_MAX_RETRY_MS = 3_600_000;

/**
 * Runs `flush` at most once at a time: soon after events arrive, and after a failure again with
 * exponential backoff and full jitter (or when the collector's Retry-After says), so a down
 * collector is not hammered: from the interval up to a minute, or from a minute up to an hour
 * after an auth or routing failure. `flush` resolves false when it could not run (another tab is
 * flushing): then it is tried again after the interval.
 */
export function createFlushScheduler(env: AttuneEnvironment, flush: () => Promise<boolean>, intervalMs: number, random: () => number = Math.random) {
  let timer: unknown;
  let running: Promise<void> | undefined;
  let failures = 0;
  let stopped = false;
  /** Until then automatic flushes wait: the collector's Retry-After, or the backoff delay. */
  let blockedUntil = 0;

  function arm(ms: number): void {
    if (stopped || timer !== undefined) return;
    timer = env.setTimeout(() => {
      timer = undefined;
      void run().catch(() => undefined);
    }, ms);
  }

  function run(): Promise<void> {
    if (running) return running;
    running = flush()
      .then((ran) => {
        failures = 0;
        if (!ran) arm(intervalMs);
      })
      .catch((error: unknown) => {
        failures++;
        const later = error instanceof RetryLater ? error : undefined;
        const slow = later?.slow;
        const backoff = backoffDelay(failures, slow ? SLOW_RETRY_MS : intervalMs, slow ? SLOW_MAX_RETRY_MS : MAX_RETRY_MS, random);
        const asked = later?.afterMs;
        const delay = asked === undefined ? backoff : Math.max(asked, intervalMs);
        blockedUntil = env.now() + delay;
        arm(delay);
        throw error;
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
    /**
     * Flush now (page hidden, back online: joining a running flush); skipped while a retry delay
     * is running unless `force` (an explicit `flush()`, which also runs again after a running
     * flush). Rejects if the collector failed.
     */
    now(force = false): Promise<void> {
      if (!force && env.now() < blockedUntil) return Promise.resolve();
      if (timer !== undefined) {
        env.clearTimeout(timer);
        timer = undefined;
      }
      // A running flush may have read the queue before the latest events: an explicit flush()
      // runs again after it, so everything tracked before the call is sent when it resolves.
      if (force && running) return running.catch(() => undefined).then(run);
      return run();
    },
    /** Consecutive failed flushes (0 after a success). */
    failures: () => failures,
    stop(): void {
      stopped = true;
      if (timer !== undefined) env.clearTimeout(timer);
      timer = undefined;
    },
  };
}
