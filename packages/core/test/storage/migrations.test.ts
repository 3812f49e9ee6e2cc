import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_VERSION, openDatabase } from '../../src/storage/database.js';
import { loadProfile } from '../../src/storage/profile-records.js';
import { createStoredQueue } from '../../src/storage/stored-queue.js';
import { freshIndexedDB } from '../support.js';

beforeEach(() => freshIndexedDB());

/** A database exactly as version 1 of the SDK left it: one queue record per event. */
async function versionOneDatabase(): Promise<void> {
  const db = await openDB('attune', 1, {
    upgrade(db) {
      db.createObjectStore('queue', { keyPath: 'id' });
      db.createObjectStore('counters');
      db.createObjectStore('meta');
    },
  });
  for (const id of ['0001', '0002', '0003']) await db.put('queue', { id, bytes: 100, event: { id, type: 'track', name: `event-${id}`, timestamp: '2026-01-05T10:00:00.000Z', properties: {} } });
  await db.put('counters', 3, 'product_view');
  await db.put('meta', 'anon-1', 'anonymousId');
  await db.put('meta', 300, 'queueBytes');
  db.close();
}

describe('database migrations', () => {
  it('opens a new database at the current version', async () => {
    const db = await openDatabase('attune');
    expect(db.version).toBe(DATABASE_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['aggregates', 'bundles', 'decisions', 'meta', 'profile', 'queue']);
  });

  it('upgrades a version 1 database (through every step) without losing queued events, counts or ids', async () => {
    await versionOneDatabase();
    const db = await openDatabase('attune');
    const events = await createStoredQueue(db).peek(10);
    expect(events.map((event) => event.id)).toEqual(['0001', '0002', '0003']);
    expect(await db.get('aggregates', 'product_view')).toMatchObject({ count: 3 });
    expect(await db.get('meta', 'anonymousId')).toBe('anon-1');
    expect([await db.get('meta', 'queueCount'), await db.get('meta', 'queueBytes')]).toEqual([3, 300]);
  });

  it('delivers the events of an upgraded queue and empties it', async () => {
    await versionOneDatabase();
    const db = await openDatabase('attune');
    const queue = createStoredQueue(db);
    await queue.remove((await queue.peek(10)).map((event) => event.id));
    expect(await db.count('queue')).toBe(0);
    expect(await db.get('meta', 'queueCount')).toBe(0);
  });
});

describe('from version 2', () => {
  it('turns lifetime counters into event aggregates the profile loads', async () => {
    const v2 = await openDatabase('attune', 2);
    await v2.put('counters' as never, 7 as never, 'page_view' as never);
    await v2.put('meta', 'anon-2', 'anonymousId');
    v2.close();
    const db = await openDatabase('attune');
    const profile = await loadProfile(db, () => 'unused');
    expect(profile.anonymousId).toBe('anon-2');
    expect(profile.data.events.page_view?.count).toBe(7);
    expect([...db.objectStoreNames]).not.toContain('counters');
  });
});
