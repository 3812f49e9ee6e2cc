import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type AttuneDatabase } from '../../src/storage/database.js';
import { emptyStoredProfile } from '../../src/profile/profile-state.js';
import { loadProfile, takeSavedProfile } from '../../src/storage/profile-records.js';
import { freshIndexedDB } from '../support.js';

let db: AttuneDatabase;
beforeEach(async () => {
  freshIndexedDB();
  db = await openDatabase('attune');
});

const aggregate = (count: number) => ({ count, first: 0, last: 0, minutes: [], hours: [], days: [] });

describe('profile records changed outside the SDK', () => {
  it('loads an aggregate stored under __proto__ as the count of an event of that name, never as a prototype', async () => {
    await db.put('aggregates', aggregate(2), 'product_view');
    await db.put('aggregates', aggregate(5), '__proto__');
    const { data } = await loadProfile(db, () => 'anon');
    expect(Object.getPrototypeOf(data.events)).toBeNull();
    expect(Object.keys(data.events).sort()).toEqual(['__proto__', 'product_view']);
    expect(Object.hasOwn(data.events, '__proto__') && data.events['__proto__']!.count).toBe(5);
  });

  it.each([
    ['not an object', 'junk'],
    ['without aliases, traits or data of their types', { aliases: 'x', traits: 5, data: 'junk' }],
  ])('starts afresh with the same ids from a current profile record that is %s, and says so', async (_, record) => {
    await db.put('aggregates', aggregate(2), 'product_view');
    await db.put('profile', record as never, 'current');
    await db.put('meta', 'user-1', 'userId');
    const unreadable = vi.fn();
    const profile = await loadProfile(db, () => 'anon', unreadable);
    expect(unreadable).toHaveBeenCalledOnce();
    // The counts go too: the record holds the ids of the events they counted.
    expect(profile).toEqual({ ...emptyStoredProfile(), anonymousId: 'anon', userId: 'user-1' });
  });

  it('loads the counts when there is no current record (as version 3 of the database left it)', async () => {
    await db.put('aggregates', aggregate(2), 'product_view');
    const unreadable = vi.fn();
    expect((await loadProfile(db, () => 'anon', unreadable)).data.events.product_view?.count).toBe(2);
    expect(unreadable).not.toHaveBeenCalled();
  });

  it('gives no saved profile for a record that is not one, and removes it', async () => {
    await db.put('profile', 'junk' as never, 'user:u1');
    expect(await takeSavedProfile(db, 'u1')).toBeUndefined();
    expect(await db.get('profile', 'user:u1')).toBeUndefined();
  });
});
