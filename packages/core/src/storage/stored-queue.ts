import type { IDBPObjectStore } from 'idb';
import type { AttuneEvent } from '../events/event.js';
import { background, type AttuneDatabase, type AttuneDatabaseSchema, type QueuedEvent } from './database.js';
import { overflow, type EventQueue, type QueueCaps } from './event-queue.js';

/** Meta keys of the queue's running totals, kept in the same transactions as the queue. */
const COUNT_KEY = 'queueCount';
const BYTES_KEY = 'queueBytes';

/**
 * Events per chunk at most. Big enough that a burst costs a few puts instead of one per event,
 * small enough that a flush reads and rewrites little more than the batch it sends.
 */
export const CHUNK_EVENTS = 50;

type Store<Name extends 'queue' | 'meta'> = IDBPObjectStore<AttuneDatabaseSchema, ArrayLike<'queue' | 'aggregates' | 'profile' | 'meta'>, Name, 'readwrite'>;

async function readTotals(meta: Store<'meta'>): Promise<[count: number, bytes: number]> {
  const [count, bytes] = await Promise.all([meta.get(COUNT_KEY), meta.get(BYTES_KEY)]);
  return [Number(count ?? 0), Number(bytes ?? 0)];
}

async function writeTotals(meta: Store<'meta'>, count: number, bytes: number): Promise<void> {
  await Promise.all([meta.put(Math.max(0, count), COUNT_KEY), meta.put(Math.max(0, bytes), BYTES_KEY)]);
}

/** An entry as the SDK queues it: its id, and an event with an id, type, name, timestamp and properties. */
const isQueued = (record: Partial<QueuedEvent> | null | undefined): boolean => {
  const event = record?.event;
  return !!event && record.id === event.id && [event.id, event.type, event.name, event.timestamp].every((field) => typeof field == 'string') && event.properties instanceof Object;
};

/**
 * The events of a stored chunk. One changed outside the SDK (no list of events, entries that are
 * not events) gives the events it holds: the rest is never sent, and `skipped` hears of it.
 */
function chunkEvents(chunk: { events?: unknown }, skipped?: () => void): QueuedEvent[] {
  const entries = [chunk.events].flat() as (Partial<QueuedEvent> | null)[];
  const events = entries.filter(isQueued) as QueuedEvent[];
  if (events.length < entries.length) skipped?.();
  return events;
}

/**
 * Writes a burst of events as one chunk, then trims the queue to its caps, oldest events first.
 * Only the chunks trimmed are read, so a write costs the same however long the queue is.
 * Returns how many events were dropped, and the oldest of them.
 */
export async function appendChunk(queue: Store<'queue'>, meta: Store<'meta'>, records: QueuedEvent[], caps: QueueCaps): Promise<{ dropped: number; oldest?: AttuneEvent }> {
  let [count, bytes] = await readTotals(meta);
  // Each write trims the queue to its caps, so totals over them were changed by hand (or the caps
  // lowered): count again rather than drop good events for them.
  if (!(count <= caps.maxEvents && bytes <= caps.maxBytes)) {
    count = bytes = 0;
    for (let cursor = await queue.openCursor(); cursor; cursor = await cursor.continue()) {
      for (const record of chunkEvents(cursor.value)) {
        count++;
        bytes += record.bytes;
      }
    }
  }
  count += records.length;
  for (const record of records) bytes += record.bytes;
  let dropped = 0;
  let oldest: AttuneEvent | undefined;
  const trim = (events: QueuedEvent[]): QueuedEvent[] => {
    const n = overflow((i) => events[i]?.bytes ?? 0, events.length, count, bytes, caps);
    if (n > 0) oldest ??= events[0]!.event;
    for (let i = 0; i < n; i++) bytes -= events[i]?.bytes ?? 0;
    count -= n;
    dropped += n;
    return n === 0 ? events : events.slice(n);
  };
  if (count > caps.maxEvents || bytes > caps.maxBytes) {
    for (let cursor = await queue.openCursor(); cursor && (count > caps.maxEvents || bytes > caps.maxBytes); cursor = await cursor.continue()) {
      const kept = trim(chunkEvents(cursor.value));
      background(kept.length === 0 ? cursor.delete() : cursor.update({ key: cursor.value.key, events: kept }));
    }
  }
  const kept = trim(records); // A burst bigger than the caps keeps its newest events.
  for (let start = 0; start < kept.length; start += CHUNK_EVENTS) {
    const events = kept.slice(start, start + CHUNK_EVENTS);
    let key = events[0]?.id ?? '';
    for (const record of events) if (record.id < key) key = record.id;
    background(queue.put({ key, events }));
  }
  await writeTotals(meta, count, bytes);
  return { dropped, oldest };
}

/** The outgoing queue in IndexedDB, shared by every tab of the site; `skipped` hears of entries that are not events. */
export function createStoredQueue(db: AttuneDatabase, skipped?: () => void): EventQueue {
  return {
    async peek(limit) {
      const events = [];
      const tx = db.transaction('queue');
      for (let cursor = await tx.store.openCursor(); cursor && events.length < limit; cursor = await cursor.continue()) {
        // A chunk changed by hand must not stop every send after it.
        for (const record of chunkEvents(cursor.value, skipped)) if (events.length < limit) events.push(record.event);
      }
      return events;
    },
    async remove(ids) {
      if (ids.length === 0) return;
      const tx = db.transaction(['queue', 'meta'], 'readwrite');
      const pending = new Set(ids);
      let newest = '';
      for (const id of ids) if (id > newest) newest = id;
      let [count, bytes] = await readTotals(tx.objectStore('meta'));
      // A chunk's key is its smallest id, so the chunks holding these ids have keys up to the
      // newest one; ids usually sit in the last chunks scanned first. Ids already removed (by
      // another tab, or the page-hide send) make the scan go through the whole (capped) queue.
      const range = IDBKeyRange.upperBound(newest);
      for (let cursor = await tx.objectStore('queue').openCursor(range, 'prev'); cursor && pending.size > 0; cursor = await cursor.continue()) {
        const events = chunkEvents(cursor.value);
        const kept = events.filter((record) => {
          if (!pending.delete(record.id)) return true;
          count--;
          bytes -= record.bytes;
          return false;
        });
        if (kept.length === 0) background(cursor.delete());
        else if (kept.length < events.length) background(cursor.update({ key: cursor.value.key, events: kept }));
      }
      await writeTotals(tx.objectStore('meta'), count, bytes);
      await tx.done;
    },
    async clear() {
      const tx = db.transaction(['queue', 'meta'], 'readwrite');
      await Promise.all([tx.objectStore('queue').clear(), writeTotals(tx.objectStore('meta'), 0, 0), tx.done]);
    },
  };
}
