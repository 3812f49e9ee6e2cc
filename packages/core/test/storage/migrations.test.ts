import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_VERSION, openDatabase } from '../../src/storage/database.js';
import { loadProfile } from '../../src/storage/profile-records.js';
import { createStoredQueue } from '../../src/storage/stored-queue.js';
import { freshIndexedDB, versionOneDatabase } from '../support.js';

beforeEach(() => freshIndexedDB());

/** Three queued events, a lifetime counter, the anonymous id and the queue's byte total, as version 1 kept them. */
const versionOne = () =>
  versionOneDatabase({ '0001': 'event-0001', '0002': 'event-0002', '0003': 'event-0003' }, (db) =>
    Promise.all([db.put('counters', 3, 'product_view'), db.put('meta', 'anon-1', 'anonymousId'), db.put('meta', 300, 'queueBytes')]),
  );

describe('database migrations', () => {
  it('opens a new database at the current version', async () => {
    const db = await openDatabase('attune');
    expect(db.version).toBe(DATABASE_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['aggregates', 'bundles', 'decisions', 'meta', 'profile', 'queue']);
  });

  it('upgrades a version 1 database (through every step) without losing queued events, counts or ids', async () => {
    await versionOne();
    const db = await openDatabase('attune');
    const events = await createStoredQueue(db).peek(10);
    expect(events.map((event) => event.id)).toEqual(['0001', '0002', '0003']);
    expect(await db.get('aggregates', 'product_view')).toMatchObject({ count: 3 });
    expect(await db.get('meta', 'anonymousId')).toBe('anon-1');
    expect([await db.get('meta', 'queueCount'), await db.get('meta', 'queueBytes')]).toEqual([3, 300]);
  });

  it('delivers the events of an upgraded queue and empties it', async () => {
    await versionOne();
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
