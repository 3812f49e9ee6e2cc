import { deleteDB, openDB, unwrap, wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { AttuneEvent } from '../events/event.js';
import type { EventAggregate } from '../profile/event-aggregate.js';
import type { StoredProfile } from '../profile/profile-state.js';
import type { ProfileData } from '../profile/profile-data.js';

/** A queued event with its serialized size, so the queue can be capped in bytes cheaply. */
export interface QueuedEvent {
  id: string;
  bytes: number;
  event: AttuneEvent;
}

/**
 * A queued event as stored: its id, its size, and its JSON text, which the JSON format sends as it
 * is. A string reads back far cheaper than the event object (no object graph to rebuild, nothing
 * to serialize again before sending). Chunks written by earlier versions hold `event` instead.
 */
export interface StoredEvent {
  id: string;
  bytes: number;
  json: string;
}

/**
 * Events written together (one burst of track() calls) are stored as one record: IndexedDB
 * costs about 100 µs per put however small the record, so one record per event capped the
 * write rate near 6,000 events/s.
 */
export interface QueueChunk {
  /** The smallest event id in the chunk when it was written: chunks sort oldest first. */
  key: string;
  events: (StoredEvent | QueuedEvent)[];
}

/** The IndexedDB layout. Bump DATABASE_VERSION and add a step to MIGRATIONS to change it. */
export interface AttuneDatabaseSchema extends DBSchema {
  /** Outgoing events waiting for the collector, in chunks keyed (and so ordered) by UUIDv7 id. */
  queue: { key: string; value: QueueChunk };
  /** Per event name: lifetime count, first/last time and time buckets (written when it changes). */
  aggregates: { key: string; value: EventAggregate };
  /**
   * `current`: the rest of the active profile (sessions, purchases, affinities, items, recent
   * events, traits, aliases, hydration). `user:<id>`: whole profiles of users who logged out on
   * this device, merged back when they identify again.
   */
  profile: { key: string; value: CurrentProfileRecord | SavedProfileRecord };
  /** The last good bundle per source URL (its text, signature and ETag), for instant start-up. */
  bundles: { key: string; value: CachedBundleRecord };
  /**
   * Decision state that must outlive the page: `assignments` (sticky experiment variants) and
   * `caps` (how often each experience was shown, per session / day / lifetime).
   */
  decisions: { key: string; value: unknown };
  /** Small records: the anonymous id, the user id, the queue's event and byte totals. */
  meta: { key: string; value: string | number };
}

/**
 * A bundle exactly as downloaded: `text` is what the signature covers. Only the text is trusted,
 * once verified: the rollback floor is read from it (older records also hold a `version`, never read).
 */
export interface CachedBundleRecord {
  text: string;
  signature?: string;
  etag?: string;
  storedAt: number;
}

export type CurrentProfileRecord = Omit<StoredProfile, 'anonymousId' | 'userId' | 'data'> & { data: Omit<ProfileData, 'events'> };
export type SavedProfileRecord = StoredProfile & { savedAt: number };

export type AttuneDatabase = IDBPDatabase<AttuneDatabaseSchema>;
type UpgradeTransaction = IDBPTransaction<AttuneDatabaseSchema, StoreNames<AttuneDatabaseSchema>[], 'versionchange'>;

export const DATABASE_VERSION = 4;

/** Lets a request go on its own: its failure aborts the transaction, which the caller hears of through `done`. */
export const background = (request: Promise<unknown>): void => void request.catch(() => {});

/** MIGRATIONS[n] upgrades a version-n database to n + 1 (0: a new database). */
const MIGRATIONS: ((db: AttuneDatabase, tx: UpgradeTransaction) => Promise<void> | void)[] = [
  (db) => {
    db.createObjectStore('queue', { keyPath: 'id' });
    db.createObjectStore('counters' as never); // Removed in v3.
    db.createObjectStore('meta');
  },
  // v1 → v2: one record per event becomes one chunk per event (same ids, same order), and the
  // queue's event count joins its byte total in meta.
  async (db, tx) => {
    const old = (await tx.objectStore('queue').getAll()) as unknown as QueuedEvent[];
    db.deleteObjectStore('queue');
    const queue = db.createObjectStore('queue', { keyPath: 'key' });
    for (const record of old) background(queue.put({ key: record.id, events: [record] }));
    await tx.objectStore('meta').put(old.length, 'queueCount');
  },
  // v2 → v3: lifetime counters become event aggregates (their times unknown: the upgrade time,
  // no buckets, so windowed counts start from now); the profile gets a store of its own.
  async (db, tx) => {
    const store = tx.objectStore('counters' as never) as unknown as { getAll(): Promise<number[]>; getAllKeys(): Promise<string[]> };
    const [names, counts] = await Promise.all([store.getAllKeys(), store.getAll()]);
    db.deleteObjectStore('counters' as never);
    const aggregates = db.createObjectStore('aggregates');
    db.createObjectStore('profile');
    const now = Date.now();
    names.forEach((name, i) => background(aggregates.put({ count: counts[i] ?? 0, first: now, last: now, minutes: [], hours: [], days: [] }, name)));
  },
  // v3 → v4: the bundle cache and the decision state (assignments, frequency caps).
  (db) => {
    db.createObjectStore('bundles');
    db.createObjectStore('decisions');
  },
];

export function hasIndexedDB(): boolean {
  return typeof indexedDB !== 'undefined';
}

/**
 * Opens (creating or upgrading) the database. `onLost` hears when the connection is gone: another
 * tab deletes the database or opens it at a higher version (the connection is closed first, so
 * that tab is not blocked), or the browser closed it.
 */
export async function openDatabase(name: string, version = DATABASE_VERSION, onLost?: () => void): Promise<AttuneDatabase> {
  const db = await openDB<AttuneDatabaseSchema>(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      // A step that fails, or runs on after the browser aborted the upgrade, aborts it: the
      // database stays as it was and the open rejects (handled by the caller), nothing escapes.
      background(tx.done);
      background(
        (async () => {
          for (let step = oldVersion; step < (newVersion ?? version); step++) await MIGRATIONS[step]?.(db, tx);
        })().catch(() => tx.abort()),
      );
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      onLost?.();
    },
    terminated: onLost,
  });
  // A transaction's `done` rejects when it aborts (the quota, the browser closing the connection),
  // also when nobody waits for it (reads): that must not reach the page.
  const raw = unwrap(db);
  const transaction = raw.transaction;
  raw.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args);
    background(wrap(tx).done);
    return tx;
  };
  return db;
}

/** Deletes the whole database; resolves once it is gone. */
export function deleteDatabase(name: string): Promise<void> {
  return deleteDB(name);
}
