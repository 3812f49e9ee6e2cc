import type { AttuneEvent } from '../events/event.js';
import type { AttuneDatabase, QueuedEvent } from './database.js';
import type { QueueCaps } from './event-queue.js';
import { appendChunk } from './stored-queue.js';

/**
 * Collects queue appends and counter increments made in one synchronous burst and writes them in
 * a single IndexedDB transaction on the next microtask, keeping IndexedDB off the track() hot path.
 * The events go in as one queue chunk, and the queue is trimmed to its caps, oldest events first;
 * `onDropped` hears how many were dropped.
 */
export function createWriteBatch(
  getDatabase: () => AttuneDatabase | undefined,
  caps: QueueCaps,
  onError: (error: unknown, unwritten: QueuedEvent[]) => void,
  onDropped: (count: number) => void,
) {
  let events: QueuedEvent[] = [];
  let increments = new Map<string, number>();
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();

  /** Takes everything handed over until now: bursts arriving while a write runs coalesce. */
  function write(): Promise<void> {
    const pendingEvents = events;
    const pendingIncrements = increments;
    events = [];
    increments = new Map();
    return writeNow(pendingEvents, pendingIncrements).catch((error: unknown) => onError(error, pendingEvents));
  }

  async function writeNow(pendingEvents: QueuedEvent[], pendingIncrements: Map<string, number>): Promise<void> {
    const db = getDatabase();
    if (!db || (pendingEvents.length === 0 && pendingIncrements.size === 0)) return;
    const tx = db.transaction(['queue', 'counters', 'meta'], 'readwrite');
    const queue = tx.objectStore('queue');
    const counters = tx.objectStore('counters');
    // Read-modify-write inside one transaction, so two tabs never lose each other's increments.
    const counting = Promise.all(
      [...pendingIncrements].map(async ([name, by]) => {
        const current = (await counters.get(name)) ?? 0;
        await counters.put(current + by, name);
      }),
    );
    const appending = pendingEvents.length > 0 ? appendChunk(queue, tx.objectStore('meta'), pendingEvents, caps) : 0;
    // Awaited together: a failure of either must not leave the other's rejection unhandled.
    const [dropped] = await Promise.all([appending, counting, tx.done]);
    if (dropped > 0) onDropped(dropped);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      writing = writing.then(write);
    });
  }

  return {
    append(event: AttuneEvent, bytes: number): void {
      events.push({ id: event.id, bytes, event });
      schedule();
    },
    increment(name: string): void {
      increments.set(name, (increments.get(name) ?? 0) + 1);
      schedule();
    },
    /** Resolves when everything handed over so far is on disk (or failed and was reported). */
    settled(): Promise<void> {
      return new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => writing);
    },
    /** Forgets unwritten work (consent withdrawn). */
    discard(): void {
      events = [];
      increments = new Map();
    },
  };
}

export type WriteBatch = ReturnType<typeof createWriteBatch>;
