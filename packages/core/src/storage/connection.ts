import { AttuneError, asAttuneError } from '../errors.js';
import { measureEvent, type AttuneEvent } from '../events/event.js';
import type { StoredProfile } from '../profile/profile-state.js';
import { hasIndexedDB, openDatabase, type AttuneDatabase } from './database.js';
import type { EventQueue, QueueCaps } from './event-queue.js';
import { createMemoryQueue, type MemoryQueue } from './memory-queue.js';
import { replaceProfile } from './profile-records.js';
import { createStoredQueue } from './stored-queue.js';
import { createWriteBatch } from './write-batch.js';

export interface ConnectionHooks {
  /** The profile in memory: written in batches, and written back when the database opens again. */
  profile(): Readonly<StoredProfile>;
  /** Reads what the database keeps into memory, the first time it opens. */
  load(db: AttuneDatabase): Promise<void>;
  /** The database opened again (it may have been deleted): write back what memory keeps besides the profile. */
  restore(): void;
  /** This page's events the collector has not acknowledged, queued again when the database opens again. */
  unsent(): AttuneEvent[];
  /** The page carries on in memory (reported already). */
  memory(): void;
  report(error: AttuneError): void;
  dropped(count: number): void;
}

const named = (error: unknown): unknown => (error as { name?: unknown } | undefined)?.name;

/**
 * The page's storage after a grant: the IndexedDB connection and the outgoing queue in it, or in
 * memory when IndexedDB is unavailable, full, or taken over by a newer version of the SDK.
 *
 * When another tab deletes the database or opens it at a higher version (a newer deploy), the
 * connection is let go at once, not to block that tab, and opened again; so when the browser
 * closes it. A deleted database is created afresh and gets back the profile, the decision state
 * and the unacknowledged events kept in memory; one at a higher version cannot be opened by this
 * version, so the page carries on in memory, with one warning. Writes and flushes meanwhile wait
 * for the new connection: nothing in memory is dropped.
 */
export function createConnection(name: string, caps: QueueCaps, hooks: ConnectionHooks) {
  /** The connection being opened or open (undefined in memory), or undefined before a grant / after erasing. */
  let database: Promise<AttuneDatabase | undefined> | undefined;
  let db: AttuneDatabase | undefined;
  let stored: EventQueue | undefined;
  let memory: MemoryQueue | undefined;
  let loaded = false;
  let skippedReported = false;

  function toMemory(reason: string, cause?: unknown): undefined {
    db = stored = undefined;
    if (!memory) {
      hooks.report(new AttuneError('storage-unavailable', `${reason}: the profile and the outgoing queue live in memory for this page only.`, cause));
      hooks.memory();
      memory = createMemoryQueue(caps, hooks.dropped);
    }
    return undefined;
  }

  function append(event: AttuneEvent, bytes: number): void {
    if (memory) memory.append(event, bytes);
    else writes.append(event, bytes);
  }

  const writes = createWriteBatch(
    () => database,
    hooks.profile,
    caps,
    (error, unwritten) => {
      // The device is out of space: carry on in memory rather than lose what comes next.
      if (named(error) === 'QuotaExceededError' && database) database = Promise.resolve(toMemory('IndexedDB is full', error));
      else if (error) hooks.report(asAttuneError(error, 'storage-unavailable'));
      for (const record of unwritten) memory?.append(record.event, record.bytes);
    },
    hooks.dropped,
  );

  function connect(): Promise<AttuneDatabase | undefined> {
    const again = loaded;
    // Declared first: the attempt compares itself with `database` to know it is still the current one.
    let opening!: Promise<AttuneDatabase | undefined>;
    opening = (async () => {
      if (!hasIndexedDB()) return toMemory('IndexedDB is not available');
      let next: AttuneDatabase | undefined;
      try {
        next = await openDatabase(name, undefined, () => {
          if (database !== opening) return;
          db = stored = undefined;
          database = connect();
        });
        if (again) {
          // Memory is the truth: the database may have been deleted, and events applied meanwhile.
          await replaceProfile(next, hooks.profile());
          hooks.restore();
        } else await hooks.load(next);
        loaded = true;
        if (database !== opening) return database;
        stored = createStoredQueue(next, () => {
          if (skippedReported) return;
          skippedReported = true;
          hooks.report(new AttuneError('event-invalid', 'Queued entries that are not events were not sent.'));
        });
        return (db = next);
      } catch (error) {
        next?.close();
        // Lost while opening: the next attempt decides.
        if (database !== opening) return database;
        return toMemory(named(error) === 'VersionError' ? 'A newer Attune in another tab upgraded IndexedDB' : 'IndexedDB could not be opened', error);
      }
    })().then((result) => {
      // Events written to the database lost (or not yet) are queued again, before anything waiting
      // for the new connection reads the queue; a duplicate is dropped by the collector (same id).
      if (again) for (const event of hooks.unsent()) append(event, measureEvent(event));
      return result;
    });
    return opening;
  }

  /** Runs `task` on the queue in use, again on the next one if the connection was lost meanwhile. */
  async function onQueue<T>(task: (queue: EventQueue) => Promise<T>): Promise<T> {
    const opening = database;
    await opening;
    await writes.settled();
    try {
      return await task((memory ?? stored)!);
    } catch (error) {
      if (database === opening) throw error;
      return onQueue(task);
    }
  }

  const queue: EventQueue = {
    peek: (limit) => onQueue((q) => q.peek(limit)),
    remove: (ids) => onQueue((q) => q.remove(ids)),
    clear: () => onQueue((q) => q.clear()),
  };

  return {
    /** Opens storage (once; later calls give the same promise). */
    open: (): Promise<AttuneDatabase | undefined> => (database ??= connect()),
    /** The connection being opened or open, undefined before opening or after closing. */
    ready: () => database,
    /** The open connection: undefined while it opens, in memory, or closed. */
    db: () => db,
    /** The outgoing queue, once storage is opening. */
    queue: () => (database ? queue : undefined),
    append,
    writes,
    /** Lets go of storage for good (consent withdrawn: the database is deleted next). */
    async close(): Promise<void> {
      const opening = database;
      database = db = stored = memory = undefined;
      loaded = false;
      (await opening)?.close();
    },
  };
}

export type Connection = ReturnType<typeof createConnection>;
