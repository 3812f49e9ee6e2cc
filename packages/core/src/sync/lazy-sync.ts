import type { AttuneEnvironment } from '../environment.js';
import { AttuneError, errorMessage } from '../errors.js';
import type { AttuneEvent } from '../events/event.js';
import type { createSync, Sync, SyncHooks, SyncOptions } from './create-sync.js';
import { createUnsentEvents } from './unsent-events.js';
import { watchPageLeave } from './page-leave.js';

/** Events of this page kept until delivery loads (the newest; the queue in IndexedDB keeps them all). */
const EARLY_MAX = 200;

/**
 * Delivery (create-sync.ts and the JSON format) is a part of its own, asked for when the client
 * starts (client/load-parts.ts): nothing before the first decision needs it. Until it is there,
 * this stands in for it: events added meanwhile are handed over when it loads, and a page left
 * before that keeps the events it has not written in localStorage for the next page
 * (unsent-events.ts), as delivery itself does when it cannot be sure the page-hide send arrives.
 * If it cannot load, events stay queued for a later page and flush() rejects with `sync-failed`.
 */
export function lazySync(env: AttuneEnvironment, options: SyncOptions, hooks: SyncHooks, load: () => Promise<typeof createSync>): Sync {
  const unsent = createUnsentEvents(env.storage);
  /** The page's document now: the part is made later, for this page. */
  const page = globalThis.document;
  let sync: Sync | undefined;
  let stopped = false;
  let soon = false;
  let early: AttuneEvent[] = [];
  /** Analytics withdrawals before delivery loaded: a flush asked for before one sends nothing. */
  let withdrawals = 0;
  const leave = (): void => {
    if (!sync && hooks.allowed()) unsent.save(hooks.unwritten() ?? early);
  };
  /** The page is being left (hidden): what an earlier page saved stays for the next one. */
  const pageLeave = watchPageLeave(page, leave);

  const loaded = load().then(
    (create) => {
      if (stopped) return undefined;
      const leaving = pageLeave.leaving();
      pageLeave.stop();
      sync = create(env, options, hooks, leaving, page);
      for (const event of early) sync.add(event);
      early = [];
      if (soon) sync.soon();
      return sync;
    },
    (error: unknown) => {
      hooks.report(new AttuneError('sync-failed', `The delivery code could not be loaded (${errorMessage(error)}): events stay queued for a later page.`, error));
      return undefined;
    },
  );

  return {
    add(event) {
      if (sync) return sync.add(event);
      early.push(event);
      if (early.length > EARLY_MAX) early.shift();
      // Tracked while the page is being left (a pagehide handler): kept for the next page too.
      if (pageLeave.leaving()) leave();
    },
    unsent: () => (sync ? sync.unsent() : pageLeave.leaving() || stopped ? [] : unsent.take()),
    forgetUnsent() {
      unsent.clear();
      sync?.forgetUnsent();
    },
    soon: () => (sync ? sync.soon() : void (soon = true)),
    pending: () => (sync ? sync.pending() : [...early]),
    withdraw() {
      if (sync) return sync.withdraw();
      withdrawals++;
      const ids = early.map((event) => event.id);
      early = [];
      return ids;
    },
    behind: (sinceMs) => (sync ? sync.behind(sinceMs) : env.now() - sinceMs > (options.flushIntervalMs ?? 1000) + (options.requestTimeoutMs || 10_000)),
    async flush() {
      const asked = withdrawals;
      const running = await loaded;
      // Withdrawn while delivery loaded: like a flush under way then, this one sends nothing.
      if (asked !== withdrawals) return;
      if (running) return running.flush();
      if (!stopped) throw new AttuneError('sync-failed', 'The delivery code could not be loaded: events stay queued for a later page.');
    },
    stop() {
      stopped = true;
      pageLeave.stop();
      sync?.stop();
    },
  };
}
