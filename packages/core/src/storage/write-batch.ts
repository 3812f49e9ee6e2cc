import type { AttuneEvent } from '../events/event.js';
import type { AttuneDatabase, QueuedEvent } from './database.js';
import { QUEUE_BYTES_KEY, trimQueue } from './queue-size.js';

/** Queue limits: a blocked collector must never exhaust the host's storage. */
export interface QueueCaps {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Collects queue appends and counter increments made in one synchronous burst and writes them in
 * a single IndexedDB transaction on the next microtask, keeping IndexedDB off the track() hot path.
 * After each write the queue is trimmed to its caps, oldest events first (a running byte total
 * avoids reading the whole queue); `onDropped` hears how many were dropped.
 */
export function createWriteBatch(
  getDatabase: () => AttuneDatabase | undefined,
  caps: QueueCaps,
  onError: (error: unknown) => void,
  onDropped: (count: number) => void,
) {
  let events: QueuedEvent[] = [];
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
    const tx = db.transaction(['queue', 'counters', 'meta'], 'readwrite');
    const queue = tx.objectStore('queue');
    const counters = tx.objectStore('counters');
    for (const record of pendingEvents) void queue.put(record);
    // Read-modify-write inside one transaction, so two tabs never lose each other's increments.
    const counting = Promise.all(
      [...pendingIncrements].map(async ([name, by]) => {
        const current = (await counters.get(name)) ?? 0;
        await counters.put(current + by, name);
      }),
    );
    let dropped = 0;
    if (pendingEvents.length > 0) {
      const meta = tx.objectStore('meta');
      const added = pendingEvents.reduce((sum, record) => sum + record.bytes, 0);
      const bytes = Number((await meta.get(QUEUE_BYTES_KEY)) ?? 0) + added;
      dropped = await trimQueue(queue, meta, caps, await queue.count(), bytes);
    }
    await counting;
    await tx.done;
    if (dropped > 0) onDropped(dropped);
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
