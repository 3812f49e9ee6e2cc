import type { AttuneEvent } from '../events/event.js';
import { utf8Length } from '../utf8-length.js';
import type { AdapterOptions, CollectorAdapter } from './adapters/types.js';

/** The browser allows 64 KB of keepalive bodies in flight per page; leave some headroom. */
const KEEPALIVE_BUDGET_BYTES = 60_000;
/** The newest events kept for a send on page hide; older ones wait in IndexedDB for the next visit. */
const OUTBOX_MAX_EVENTS = 200;
/** Dropped events leave the array in batches of this many: shift() copies it. */
const OUTBOX_SLACK = 50;

/**
 * Events of this page that the collector has not acknowledged yet, kept in memory so they can be
 * sent synchronously when the page is hidden or unloaded (no IndexedDB read, which may never
 * finish during unload), with `fetch(..., { keepalive: true })` within the 64 KB budget.
 * Whatever does not fit or fails stays in the IndexedDB queue and is sent on the next visit;
 * a second delivery carries the same event ids, so collectors drop it.
 */
export function createLeaveSender(
  adapter: CollectorAdapter,
  fetchImpl: typeof fetch,
  requestOptions: () => AdapterOptions,
  onAcknowledged: (ids: string[]) => void,
) {
  /**
   * Oldest first, from `start` on (the ones before it were dropped). An array rather than a Map
   * keyed by id: hashing each new id string cost more in Chromium than the rest of track();
   * acknowledged ids are matched when a delivery ends instead.
   */
  let outbox: AttuneEvent[] = [];
  let start = 0;

  function requestsFor(events: AttuneEvent[]) {
    const requests = adapter(events, { ...requestOptions(), keepalive: true });
    return { requests, bytes: requests.reduce((sum, request) => sum + utf8Length(request.body), 0) };
  }

  return {
    remember(event: AttuneEvent): void {
      // The client hands an event over again once storage opens: kept once, in its place.
      if (outbox.indexOf(event, start) >= 0) return;
      outbox.push(event);
      if (outbox.length - start > OUTBOX_MAX_EVENTS) start++;
      if (start >= OUTBOX_SLACK) {
        outbox.splice(0, start);
        start = 0;
      }
    },
    /** The events not acknowledged yet, oldest first. */
    pending: (): AttuneEvent[] => outbox.slice(start),
    /** Forgets every event (analytics consent withdrawn); returns their ids. */
    clear(): string[] {
      const ids = outbox.slice(start).map((event) => event.id);
      outbox = [];
      start = 0;
      return ids;
    },
    forget(ids: readonly string[]): void {
      if (ids.length === 0 || outbox.length === start) return;
      const gone = new Set(ids);
      outbox = outbox.slice(start).filter((event) => !gone.has(event.id));
      start = 0;
    },
    /** Sends what fits in the keepalive budget, oldest first; returns how many events went out. */
    sendNow(): number {
      let budget = KEEPALIVE_BUDGET_BYTES;
      let sent = 0;
      let group: AttuneEvent[] = [];
      const flushGroup = (): void => {
        if (group.length === 0) return;
        const { requests, bytes } = requestsFor(group);
        budget -= bytes;
        const ids = group.map((event) => event.id);
        const sending = new Set(group);
        outbox = outbox.slice(start).filter((event) => !sending.has(event));
        start = 0;
        sent += ids.length;
        void Promise.all(
          requests.map((request) =>
            fetchImpl(request.url, { method: 'POST', headers: request.headers, body: request.body, keepalive: true, credentials: 'omit' }).then(
              async (response) => {
                await response.text().catch(() => undefined);
                return response.ok;
              },
            ),
          ),
        )
          .then((oks) => {
            if (oks.every(Boolean)) onAcknowledged(ids);
          })
          .catch(() => undefined); // Still in IndexedDB: the next visit sends it.
        group = [];
      };
      // An adapter that throws (not loaded yet, a bug in a custom one) must not throw out of
      // track() or the pagehide listener: the events stay in IndexedDB for the next visit.
      try {
        for (const event of outbox.slice(start)) {
          const candidate = [...group, event];
          if (requestsFor(candidate).bytes > budget) {
            flushGroup();
            if (requestsFor([event]).bytes > budget) break;
            group = [event];
          } else group = candidate;
        }
        flushGroup();
      } catch {
        // Nothing more goes out on this page.
      }
      return sent;
    },
  };
}
