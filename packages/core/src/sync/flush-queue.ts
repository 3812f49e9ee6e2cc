import type { AttuneEvent } from '../events/event.js';
import type { AttuneDatabase } from '../storage/database.js';

export type SendBatch = (events: AttuneEvent[]) => Promise<void>;

/**
 * Sends queued events oldest-first in batches. An event leaves the queue only after the collector
 * acknowledged its batch, so a failure (thrown by `send`) keeps it for the next flush:
 * at-least-once delivery, with the event id for de-duplication.
 */
export async function flushQueue(db: AttuneDatabase, send: SendBatch, batchSize: number): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await db.getAll('queue', null, batchSize);
    if (batch.length === 0) return sent;
    await send(batch);
    const tx = db.transaction('queue', 'readwrite');
    for (const event of batch) void tx.store.delete(event.id);
    await tx.done;
    sent += batch.length;
    if (batch.length < batchSize) return sent;
  }
}
