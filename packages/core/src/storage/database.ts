import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AttuneEvent } from '../events/event.js';

/** A queued event with its serialized size, so the queue can be capped in bytes cheaply. */
export interface QueuedEvent {
  id: string;
  bytes: number;
  event: AttuneEvent;
}

/** The IndexedDB layout. Bump DATABASE_VERSION and add a step in `upgrade` to migrate. */
export interface AttuneDatabaseSchema extends DBSchema {
  /** Outgoing events waiting for the collector, keyed (and so ordered) by UUIDv7 id. */
  queue: { key: string; value: QueuedEvent };
  /** Lifetime counters: event name → count. */
  counters: { key: string; value: number };
  /** Small records: the anonymous id, the user id, the queue's byte total. */
  meta: { key: string; value: string | number };
}

export type AttuneDatabase = IDBPDatabase<AttuneDatabaseSchema>;

export const DATABASE_VERSION = 1;

export function hasIndexedDB(): boolean {
  return typeof indexedDB !== 'undefined';
}

export function openDatabase(name: string): Promise<AttuneDatabase> {
  return openDB<AttuneDatabaseSchema>(name, DATABASE_VERSION, {
    upgrade(db) {
      db.createObjectStore('queue', { keyPath: 'id' });
      db.createObjectStore('counters');
      db.createObjectStore('meta');
    },
    // Another tab is erasing or upgrading the database: let go so it is not blocked.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** Deletes the whole database; resolves once it is gone. */
export function deleteDatabase(name: string): Promise<void> {
  return deleteDB(name);
}
