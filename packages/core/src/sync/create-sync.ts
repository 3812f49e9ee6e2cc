import type { AttuneEnvironment } from '../environment.js';
import { AttuneError } from '../errors.js';
import type { EventQueue, PeekedEvent } from '../storage/event-queue.js';
import { jsonAdapter, jsonRequests } from './adapters/json.js';
import type { CollectorAdapter } from './adapters/types.js';
import { withFlushLock } from './flush-lock.js';
import { flushQueue, RetryLater } from './flush-queue.js';
import { createLeaveSender } from './leave-sender.js';
import type { AttuneEvent } from '../events/event.js';
import { createFlushScheduler } from './flush-scheduler.js';
import { sendAll } from './transport.js';
import { createUnsentEvents } from './unsent-events.js';
import { watchPageLeave } from './page-leave.js';

/** The client's options, as given (checked by checkOptions); the defaults are applied here. */
export interface SyncOptions {
  collectorUrl: string;
  adapter?: CollectorAdapter | undefined;
  writeKey?: string | undefined;
  headers?: Record<string, string> | undefined;
  batchSize?: number | undefined;
  flushIntervalMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
}

export interface SyncHooks {
  /** The outgoing queue (IndexedDB, or memory when storage is unavailable); undefined before consent. */
  queue(): Promise<EventQueue | undefined>;
  /** Resolves once pending queue writes are on disk. */
  settled(): Promise<void>;
  /** The events not written to the queue yet; undefined while storage is not open (none are). */
  unwritten(): AttuneEvent[] | undefined;
  /** Whether events may leave the device now (analytics consent). */
  allowed(): boolean;
  report(error: AttuneError): void;
  onPoisoned(count: number): void;
}

/**
 * Delivery of the outgoing queue to the collector: batching, one flushing tab at a time,
 * retries with backoff, and a flush when the page is hidden or the browser comes back online.
 * `startLeaving`: the page was hidden before this was made (lazy-sync.ts) and is being left.
 */
export function createSync(env: AttuneEnvironment, options: SyncOptions, hooks: SyncHooks, startLeaving = false, page = globalThis.document) {
  const adapter = options.adapter ?? jsonAdapter;
  // Events read from the queue and acknowledged together. A request costs the page about the same
  // main-thread time whatever its size (~3 ms in Chromium here), so a backlog goes in few of them;
  // the adapters split a batch to stay under their format's body limit.
  const batchSize = Math.max(1, options.batchSize ?? 500); // 0 would never send
  const timeoutMs = options.requestTimeoutMs || 10_000; // 0 would abort every send
  const intervalMs = options.flushIntervalMs ?? 1000;
  // The client creates the sync only where there is a fetch() (and a collectorUrl).
  const fetchImpl = env.fetch!;
  /** The page is being left (hidden) while it says so: sends then use keepalive to survive the unload. */
  const pageLeave = watchPageLeave(page, () => sendAtLeave(), startLeaving);
  let stopped = false;

  const notTaken = (error: RetryLater): AttuneError =>
    new AttuneError('sync-failed', `The collector at ${options.collectorUrl} did not take the events (${error.message}); they stay queued and are retried.`, error);

  const requestOptions = (): Parameters<CollectorAdapter>[1] => {
    const built: Parameters<CollectorAdapter>[1] = { url: options.collectorUrl, sentAt: new Date(env.now()).toISOString(), keepalive: pageLeave.leaving() };
    if (options.writeKey !== undefined) built.writeKey = options.writeKey;
    if (options.headers !== undefined) built.headers = options.headers;
    return built;
  };

  const leaveSender = createLeaveSender(adapter, fetchImpl, requestOptions, (ids) => {
    // If the page is still alive, the acknowledged events leave the queue right away.
    void hooks.queue().then((queue) => queue?.remove(ids)).catch(() => undefined);
  });

  /** Counts analytics withdrawals: a flush started before one sends nothing more. */
  let withdrawals = 0;

  async function flushOnce(): Promise<void> {
    const started = withdrawals;
    try {
      if (!hooks.allowed()) return;
      const queue = await hooks.queue();
      if (!queue) return;
      await hooks.settled();
      const send = (events: PeekedEvent[]) => {
        // What was read before the withdrawal is not sent, even if consent was granted again.
        if (started !== withdrawals) throw new RetryLater('consent withdrawn');
        // The JSON format sends the queued texts as they are; other formats get the events back.
        const texts = events.map((event) => event.json);
        const requests = adapter === jsonAdapter ? jsonRequests(texts, requestOptions()) : adapter(texts.map((text) => JSON.parse(text) as AttuneEvent), requestOptions());
        return sendAll(requests, fetchImpl, env.now, timeoutMs, pageLeave.leaving());
      };
      const result = await flushQueue(queue, send, batchSize, (ids) => leaveSender.forget(ids));
      if (result.poisoned > 0) {
        hooks.onPoisoned(result.poisoned);
        hooks.report(new AttuneError('sync-rejected', `The collector at ${options.collectorUrl} refused ${result.poisoned} event(s) with a 4xx, so they were dropped: check the collector format and write key.`));
      }
    } catch (error) {
      // After a withdrawal the flush just ends (its queue may have been closed under it).
      if (started === withdrawals) throw error;
    }
  }

  const scheduler = createFlushScheduler(
    env,
    () =>
      withFlushLock('attune-flush', flushOnce).catch((error: unknown) => {
        if (error instanceof RetryLater && scheduler.failures() === 0) {
          hooks.report(notTaken(error));
        }
        throw error;
      }),
    intervalMs,
  );

  // Leaving the page (or coming back online) is the moment to send what is queued.
  // The page may be discarded at any moment from here: send this page's unacknowledged events
  // synchronously (no IndexedDB read first) with keepalive, and keep those not written yet.
  const unsent = createUnsentEvents(env.storage);
  const sendAtLeave = (): void => {
    if (!hooks.allowed()) return;
    unsent.save(hooks.unwritten() ?? leaveSender.pending());
    leaveSender.sendNow();
  };
  const onOnline = (): void => void scheduler.now().catch(() => undefined);
  globalThis.addEventListener?.('online', onOnline);

  return {
    /** Queues a sent-later event; while the page is leaving it goes out at once. */
    add(event: AttuneEvent): void {
      leaveSender.remember(event);
      if (pageLeave.leaving()) sendAtLeave();
      else scheduler.soon();
    },
    /**
     * Events an earlier page kept when it was hidden before writing them (see unsent-events.ts);
     * none while this page is being left (it would take them to its grave).
     */
    unsent: (): AttuneEvent[] => (pageLeave.leaving() || stopped ? [] : unsent.take()),
    /** Forgets them (analytics consent withdrawn). */
    forgetUnsent: unsent.clear,
    soon: () => scheduler.soon(),
    /** This page's events the collector has not acknowledged yet (the newest few hundred). */
    pending: leaveSender.pending,
    /**
     * Analytics consent withdrawn: nothing collected before leaves, not even on page hide.
     * Returns the ids of this page's events not acknowledged yet (they may still be queued).
     */
    withdraw(): string[] {
      withdrawals++;
      return leaveSender.clear();
    },
    /**
     * Whether an event tracked at `sinceMs` and still queued shows a collector not taking events
     * (sends failing, or waiting longer than a flush takes), rather than a burst.
     */
    behind: (sinceMs: number): boolean => scheduler.failures() > 0 || env.now() - sinceMs > intervalMs + timeoutMs,
    /** Explicit flush: ignores a running retry delay; rejects with `sync-failed` if the collector failed. */
    flush: () =>
      scheduler.now(true).catch((error: unknown) => {
        throw error instanceof RetryLater ? notTaken(error) : error;
      }),
    stop(): void {
      scheduler.stop();
      globalThis.removeEventListener?.('online', onOnline);
      pageLeave.stop(); // Nothing is sent at once any more either,
      stopped = true; // nor taken from earlier pages (the next page takes them).
    },
  };
}

export type Sync = ReturnType<typeof createSync>;
