import type { IDBPObjectStore } from 'idb';
import type { AttuneDatabase, AttuneDatabaseSchema } from './database.js';

/** Meta key of the queue's running byte total, kept in the same transactions as the queue. */
export const QUEUE_BYTES_KEY = 'queueBytes';

type Store<Name extends 'queue' | 'meta'> = IDBPObjectStore<AttuneDatabaseSchema, ArrayLike<'queue' | 'counters' | 'meta'>, Name, 'readwrite'>;

/**
 * Deletes the oldest events until the queue is within its caps and stores the new byte total.
 * Only the deleted records are read, so a write costs the same however long the queue is.
 */
export async function trimQueue(
  queue: Store<'queue'>,
  meta: Store<'meta'>,
  caps: { maxEvents: number; maxBytes: number },
  count: number,
  bytes: number,
): Promise<number> {
  let dropped = 0;
  if (count > caps.maxEvents || bytes > caps.maxBytes) {
    for (let cursor = await queue.openCursor(); cursor && (count > caps.maxEvents || bytes > caps.maxBytes); cursor = await cursor.continue()) {
      bytes -= cursor.value.bytes;
      count--;
      dropped++;
      void cursor.delete();
    }
  }
  await meta.put(Math.max(0, bytes), QUEUE_BYTES_KEY);
  return dropped;
}

/** Removes delivered (or refused) events and subtracts their bytes from the running total. */
export async function removeFromQueue(db: AttuneDatabase, ids: readonly string[]): Promise<void> {
  const tx = db.transaction(['queue', 'meta'], 'readwrite');
  const queue = tx.objectStore('queue');
  const meta = tx.objectStore('meta');
  const records = await Promise.all(ids.map((id) => queue.get(id)));
  let removed = 0;
  for (const record of records) {
    if (!record) continue; // Already removed (another tab, or the page-hide send).
    removed += record.bytes;
    void queue.delete(record.id);
  }
  const bytes = Number((await meta.get(QUEUE_BYTES_KEY)) ?? 0);
  await meta.put(Math.max(0, bytes - removed), QUEUE_BYTES_KEY);
  await tx.done;
}

/** Empties the queue (analytics consent withdrawn). */
export async function clearQueue(db: AttuneDatabase): Promise<void> {
  const tx = db.transaction(['queue', 'meta'], 'readwrite');
  await Promise.all([tx.objectStore('queue').clear(), tx.objectStore('meta').put(0, QUEUE_BYTES_KEY), tx.done]);
}
