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
  /**
   * Reads what the database keeps into memory, the first time it opens; `stale()` tells that
   * storage was let go meanwhile (consent withdrawn): then nothing read may be used.
   */
  load(db: AttuneDatabase, stale: () => boolean): Promise<void>;
  /** The database opened again (it may have been deleted): write back what memory keeps besides the profile. */
  restore(): void;
  /** This page's events the collector has not acknowledged, queued again when the database opens again. */
  unsent(): AttuneEvent[];
  /** The page carries on in memory (reported already). */
  memory(): void;
  /** Whether the database may be made again for this page's visitor (false: another tab withdrew consent). */
  ours(): boolean;
  report(error: AttuneError): void;
  /** `count` events were dropped by the caps, the oldest of them `oldest`. */
  dropped(count: number, oldest: AttuneEvent): void;
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
  /** The same attempt's connection as soon as it is open, before what it keeps is loaded. */
  let opened: Promise<AttuneDatabase | undefined> | undefined;
  let db: AttuneDatabase | undefined;
  let stored: EventQueue | undefined;
  let memory: MemoryQueue | undefined;
  let loaded = false;
  /** The client was destroyed: a lost connection is not opened again. */
  let stopped = false;
  /** How many times storage was let go (see detach). */
  let detached = 0;
  let skippedReported = false;

  /** Carries on in memory; says why unless `reason` is undefined (consent withdrawn in another tab). */
  function toMemory(reason?: string, cause?: unknown): undefined {
    db = stored = undefined;
    if (!memory) {
      if (reason) hooks.report(new AttuneError('storage-unavailable', `${reason}: the profile and the outgoing queue live in memory for this page only.`, cause));
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

  /** `after`: what must be done first (erasures under way: a new grant never reopens a database being deleted). */
  function connect(after?: Promise<unknown>): Promise<AttuneDatabase | undefined> {
    const again = loaded;
    const era = detached;
    /**
     * What an attempt no longer current resolves to: the connection that replaced it (lost, opened
     * again), or nothing once storage was let go (an erasure awaits it: never what opens after).
     */
    const current = (): Promise<AttuneDatabase | undefined> | undefined => (era === detached ? database : undefined);
    // Declared first: the attempt compares itself with `database` to know it is still the current one.
    let opening!: Promise<AttuneDatabase | undefined>;
    let open!: (connection: AttuneDatabase | undefined) => void;
    opened = new Promise((resolve) => (open = resolve));
    opening = (async () => {
      await after;
      if (database !== opening) return current();
      if (!hasIndexedDB()) return toMemory('IndexedDB is not available');
      let next: AttuneDatabase | undefined;
      try {
        next = await openDatabase(name, undefined, () => {
          if (stopped || database !== opening) return;
          db = stored = undefined;
          // Another tab withdrew consent and deletes the database: nothing is made again here, the
          // page carries on in memory until it hears of the withdrawal (which erases that too).
          database = hooks.ours() ? connect() : Promise.resolve(toMemory());
        });
        open(next);
        if (again) {
          // Memory is the truth: the database may have been deleted, and events applied meanwhile.
          await replaceProfile(next, hooks.profile());
          hooks.restore();
        } else await hooks.load(next, () => database !== opening);
        if (database !== opening) {
          next.close(); // Let go meanwhile: the erasure deletes it, or a newer attempt opens its own.
          return current();
        }
        loaded = true;
        stored = createStoredQueue(next, () => {
          if (skippedReported) return;
          skippedReported = true;
          hooks.report(new AttuneError('event-invalid', 'Queued entries that are not events were not sent.'));
        });
        return (db = next);
      } catch (error) {
        next?.close();
        // Lost while opening: the next attempt decides.
        if (database !== opening) return current();
        return toMemory(named(error) === 'VersionError' ? 'A newer Attune in another tab upgraded IndexedDB' : 'IndexedDB could not be opened', error);
      }
    })().then((result) => {
      open(result);
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
    remove: (ids, next) => onQueue((q) => q.remove(ids, next)),
    clear: () => onQueue((q) => q.clear()),
  };

  return {
    /** Opens storage once `after` is done (once; later calls give the same promise). */
    open: (after?: Promise<unknown>): Promise<AttuneDatabase | undefined> => (database ??= connect(after)),
    /** The connection being opened or open, undefined before opening or after closing. */
    ready: () => database,
    /**
     * The connection as soon as it is open, while what it keeps is still being loaded (the bundle
     * cache is read meanwhile: a returning visitor's first decision waits for both, not one then
     * the other). Undefined in memory; undefined before opening or after closing.
     */
    opened: () => database && opened,
    /** The open connection: undefined while it opens, in memory, or closed. */
    db: () => db,
    /** The outgoing queue, once storage is opening. */
    queue: () => (database ? queue : undefined),
    append,
    writes,
    /** The client is destroyed: when the connection is lost (see openDatabase), it stays closed. */
    stop: () => void (stopped = true),
    /** Events withdrawn: nothing waiting to be written or in the memory queue is kept. */
    discard(): void {
      writes.discard();
      void memory?.clear();
    },
    /**
     * Lets go of storage at once (consent withdrawn: the database is deleted or cleared next);
     * returns the connection that was open or opening, for the caller to close.
     */
    detach(): Promise<AttuneDatabase | undefined> | undefined {
      const opening = database;
      database = opened = db = stored = memory = undefined;
      loaded = false;
      detached++;
      return opening;
    },
  };
}

export type Connection = ReturnType<typeof createConnection>;
