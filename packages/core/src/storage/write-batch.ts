import type { AttuneEvent } from '../events/event.js';
import type { AttuneDatabase } from './database.js';

/**
 * Collects queue appends and counter increments made in one synchronous burst and writes them in
 * a single IndexedDB transaction on the next microtask, keeping IndexedDB off the track() hot path.
 */
export function createWriteBatch(getDatabase: () => AttuneDatabase | undefined, onError: (error: unknown) => void) {
  let events: AttuneEvent[] = [];
  let increments = new Map<string, number>();
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    const db = getDatabase();
    const pendingEvents = events;
    const pendingIncrements = increments;
    events = [];
    increments = new Map();
    if (!db || (pendingEvents.length === 0 && pendingIncrements.size === 0)) return;
    const tx = db.transaction(['queue', 'counters'], 'readwrite');
    const queue = tx.objectStore('queue');
    const counters = tx.objectStore('counters');
    for (const event of pendingEvents) void queue.put(event);
    // Read-modify-write inside one transaction, so two tabs never lose each other's increments.
    await Promise.all(
      [...pendingIncrements].map(async ([name, by]) => {
        const current = (await counters.get(name)) ?? 0;
        await counters.put(current + by, name);
      }),
    );
    await tx.done;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      writing = writing.then(write).catch(onError);
    });
  }

  return {
    append(event: AttuneEvent): void {
      events.push(event);
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
