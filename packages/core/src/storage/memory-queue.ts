import type { AttuneEvent } from '../events/event.js';
import type { QueuedEvent } from './database.js';
import { overflow, type EventQueue, type QueueCaps } from './event-queue.js';

/**
 * The outgoing queue when IndexedDB is unavailable (private browsing, blocked storage): events
 * still reach the collector while the page is open, under the same caps.
 */
export function createMemoryQueue(caps: QueueCaps, onDropped: (count: number, oldest: AttuneEvent) => void) {
  let records: QueuedEvent[] = [];
  let bytes = 0;
  const queue: EventQueue & { append(event: AttuneEvent, bytes: number): void } = {
    append(event, size) {
      records.push({ id: event.id, bytes: size, event });
      bytes += size;
      const dropped = overflow((i) => records[i]?.bytes ?? 0, records.length, records.length, bytes, caps);
      if (dropped === 0) return;
      const gone = records.splice(0, dropped);
      for (const record of gone) bytes -= record.bytes;
      onDropped(dropped, gone[0]!.event);
    },
    peek: async (limit) => records.slice(0, limit).map(({ id, event }) => ({ id, json: JSON.stringify(event) })),
    async remove(ids, next = 0) {
      const gone = new Set(ids);
      records = records.filter((record) => !gone.has(record.id) || ((bytes -= record.bytes), false));
      return queue.peek(next);
    },
    async clear() {
      records = [];
      bytes = 0;
    },
  };
  return queue;
}

export type MemoryQueue = ReturnType<typeof createMemoryQueue>;
