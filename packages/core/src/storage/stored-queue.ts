import type { IDBPObjectStore } from 'idb';
import type { AttuneEvent } from '../events/event.js';
import { background, type AttuneDatabase, type AttuneDatabaseSchema, type QueueChunk, type QueuedEvent, type StoredEvent } from './database.js';
import { overflow, type EventQueue, type PeekedEvent, type QueueCaps } from './event-queue.js';

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

/**
 * An entry as the SDK queues it, as text: its id and the JSON of an event with that id. Entries
 * of earlier versions hold the event itself (with an id, type, name, timestamp and properties):
 * serialized here, once (a rewrite stores the text).
 */
function storedEvent(record: Partial<QueuedEvent & StoredEvent> | null | undefined): StoredEvent | undefined {
  const { id, json, event } = record ?? {};
  if (typeof id != 'string') return undefined;
  if (typeof json == 'string') return json[0] == '{' && json.includes(`"id":${JSON.stringify(id)}`) ? (record as StoredEvent) : undefined;
  if (!event || id !== event.id || ![event.type, event.name, event.timestamp].every((field) => typeof field == 'string') || !(event.properties instanceof Object)) return undefined;
  try {
    return { id, bytes: record!.bytes!, json: JSON.stringify(event) };
  } catch {
    return undefined;
  }
}

/**
 * The events of a stored chunk. One changed outside the SDK (no list of events, entries that are
 * not events) gives the events it holds: the rest is never sent, and `skipped` hears of it.
 */
function chunkEvents(chunk: { events?: unknown }, skipped?: () => void): StoredEvent[] {
  const entries = [chunk.events].flat() as Parameters<typeof storedEvent>[0][];
  const events: StoredEvent[] = [];
  for (const entry of entries) {
    const event = storedEvent(entry);
    if (event) events.push(event);
  }
  if (events.length < entries.length) skipped?.();
  return events;
}

/** A stored event as an object, for the caps' report (which reads its timestamp). */
function parsed(record: StoredEvent): AttuneEvent {
  try {
    return JSON.parse(record.json) as AttuneEvent;
  } catch {
    return { id: record.id, timestamp: '' } as AttuneEvent;
  }
}

/**
 * A chunk's key: its smallest event id, plus `~n` once rewritten (fewer events: trimmed to the
 * caps, or some delivered). A rewrite always takes a new key, so a chunk still found under the key
 * a peek read it with holds exactly what the peek saw, and remove() needs no second read. Ids
 * have one length (UUIDv7), so keys keep the chunks in event order.
 */
function rewrittenKey(oldKey: string, kept: readonly StoredEvent[]): string {
  let smallest = kept[0]!.id;
  for (const record of kept) if (record.id < smallest) smallest = record.id;
  const [base, rewrites] = oldKey.split('~');
  return `${smallest}~${base === smallest ? Number(rewrites ?? 0) + 1 : 1}`;
}

/** Deletes a chunk, or rewrites it under a new key with the events it keeps (see rewrittenKey). */
function rewrite(queue: Store<'queue'>, key: string, kept: StoredEvent[]): void {
  background(queue.delete(key));
  if (kept.length > 0) background(queue.put({ key: rewrittenKey(key, kept), events: kept }));
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
  /** How many of the oldest of `events` go to fit the caps (`first()`: the first of them). */
  const trim = (events: readonly { bytes: number }[], first: () => AttuneEvent): number => {
    const n = overflow((i) => events[i]?.bytes ?? 0, events.length, count, bytes, caps);
    if (n > 0) oldest ??= first();
    for (let i = 0; i < n; i++) bytes -= events[i]?.bytes ?? 0;
    count -= n;
    dropped += n;
    return n;
  };
  if (count > caps.maxEvents || bytes > caps.maxBytes) {
    for (let cursor = await queue.openCursor(); cursor && (count > caps.maxEvents || bytes > caps.maxBytes); cursor = await cursor.continue()) {
      const events = chunkEvents(cursor.value);
      const n = trim(events, () => parsed(events[0]!));
      if (n > 0) rewrite(queue, cursor.value.key, events.slice(n));
    }
  }
  // A burst bigger than the caps keeps its newest events, stored as the text they are sent as.
  for (let start = trim(records, () => records[0]!.event); start < records.length; start += CHUNK_EVENTS) {
    const events = records.slice(start, start + CHUNK_EVENTS).map(({ id, bytes, event }) => ({ id, bytes, json: JSON.stringify(event) }));
    let key = events[0]?.id ?? '';
    for (const record of events) if (record.id < key) key = record.id;
    background(queue.put({ key, events }));
  }
  await writeTotals(meta, count, bytes);
  return { dropped, oldest };
}

/** The outgoing queue in IndexedDB, shared by every tab of the site; `skipped` hears of entries that are not events. */
export function createStoredQueue(db: AttuneDatabase, skipped?: () => void): EventQueue {
  /** The chunks the last peek read (key → their events), so remove() can drop them without reading them again. */
  let peeked = new Map<string, StoredEvent[]>();

  /** Up to `limit` events, oldest first, read in the transaction of `store`. */
  async function read(store: { getAll(query?: IDBKeyRange, count?: number): Promise<QueueChunk[]> }, limit: number): Promise<PeekedEvent[]> {
    const events: PeekedEvent[] = [];
    peeked = new Map();
    // getAll() reads many chunks per request (a cursor takes one request per chunk). Chunks hold
    // up to CHUNK_EVENTS events, fewer for spaced events: the next read asks for as many chunks
    // as the events per chunk seen so far say the batch still needs.
    let wanted = Math.ceil(limit / CHUNK_EVENTS);
    let chunksRead = 0;
    let after: IDBKeyRange | undefined;
    while (events.length < limit) {
      const chunks = await store.getAll(after, wanted);
      for (const chunk of chunks) {
        chunksRead++;
        // A chunk changed by hand must not stop every send after it.
        const records = chunkEvents(chunk, skipped);
        peeked.set(chunk.key, records);
        for (const record of records) {
          if (events.length === limit) break;
          events.push(record);
        }
      }
      if (chunks.length < wanted) break;
      after = IDBKeyRange.lowerBound(chunks[chunks.length - 1]!.key, true);
      wanted = Math.max(1, Math.ceil(((limit - events.length) * chunksRead) / Math.max(1, events.length)));
    }
    return events;
  }

  return {
    peek: (limit) => read(db.transaction('queue').store, limit),
    async remove(ids, next = 0) {
      if (ids.length === 0) return next > 0 ? read(db.transaction('queue').store, next) : [];
      const tx = db.transaction(['queue', 'meta'], 'readwrite');
      const store = tx.objectStore('queue');
      const pending = new Set(ids);
      let [count, bytes] = await readTotals(tx.objectStore('meta'));
      /** Drops the pending ids from a chunk's events; returns what it keeps. */
      const take = (events: StoredEvent[]): StoredEvent[] =>
        events.filter((record) => {
          if (!pending.delete(record.id)) return true;
          count--;
          bytes -= record.bytes;
          return false;
        });
      // Chunks of the last peek still under their key hold what the peek read: only their
      // presence is checked (no events are read again). One rewritten or gone since is left to the scan.
      const planned = [...peeked].filter(([, events]) => events.some((record) => pending.has(record.id)));
      let low = planned[0]?.[0] ?? '';
      let high = low;
      for (const [key] of planned) [low, high] = [key < low ? key : low, key > high ? key : high];
      // One request lists the keys over the planned chunks' span (cheaper than one count per chunk).
      const keys = planned.length ? await store.getAllKeys(IDBKeyRange.bound(low, high)) : [];
      const present = new Set(keys);
      const emptied = new Set<string>();
      planned.forEach(([key, events]) => {
        peeked.delete(key);
        if (!present.has(key)) return;
        const kept = take(events);
        if (kept.length === 0) return void emptied.add(key);
        rewrite(store, key, kept); // Under a key after the old one: out of the range deleted below.
        peeked.set(rewrittenKey(key, kept), kept);
      });
      // The emptied chunks the span starts with go in one request (a delete costs the page ~0.1 ms
      // each); a chunk not emptied (another tab's, or partly delivered) ends that run.
      let run = 0;
      while (run < keys.length && emptied.has(keys[run]!)) run++;
      if (run > 0) background(store.delete(IDBKeyRange.bound(keys[0]!, keys[run - 1]!)));
      for (const key of keys.slice(run)) if (emptied.has(key)) background(store.delete(key));
      if (pending.size > 0) {
        // Ids from elsewhere (the page-hide send, another tab): a chunk's key starts with its
        // smallest id, so the chunks holding them have keys up to the newest one (and its `~n`),
        // usually the last chunks scanned first. Ids already removed make the scan go through
        // the whole (capped) queue.
        let newest = '';
        for (const id of pending) if (id > newest) newest = id;
        const range = IDBKeyRange.upperBound(`${newest}~\uffff`);
        for (let cursor = await store.openCursor(range, 'prev'); cursor && pending.size > 0; cursor = await cursor.continue()) {
          const events = chunkEvents(cursor.value);
          const kept = take(events);
          if (kept.length < events.length) rewrite(store, cursor.value.key, kept);
        }
      }
      await writeTotals(tx.objectStore('meta'), count, bytes);
      // The next batch is read in this transaction, after the deletes: one transaction less per
      // batch (creating and committing one costs the page ~0.5 ms).
      const events = next > 0 ? await read(store, next) : [];
      await tx.done;
      return events;
    },
    async clear() {
      peeked = new Map();
      const tx = db.transaction(['queue', 'meta'], 'readwrite');
      await Promise.all([tx.objectStore('queue').clear(), writeTotals(tx.objectStore('meta'), 0, 0), tx.done]);
    },
  };
}
