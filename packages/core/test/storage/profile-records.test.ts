import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type AttuneDatabase } from '../../src/storage/database.js';
import { loadProfile, takeSavedProfile } from '../../src/storage/profile-records.js';
import { freshIndexedDB } from '../support.js';

let db: AttuneDatabase;
beforeEach(async () => {
  freshIndexedDB();
  db = await openDatabase('attune');
});

const aggregate = (count: number) => ({ count, first: 0, last: 0, minutes: [], hours: [], days: [] });

describe('profile records changed outside the SDK', () => {
  it('loads no aggregate stored under __proto__, which would replace the prototype of the aggregates', async () => {
    await db.put('aggregates', aggregate(2), 'product_view');
    await db.put('aggregates', aggregate(5), '__proto__');
    const { data } = await loadProfile(db, () => 'anon');
    expect(Object.getPrototypeOf(data.events)).toBe(Object.prototype);
    expect(Object.keys(data.events)).toEqual(['product_view']);
  });

  it.each([
    ['not an object', 'junk'],
    ['without aliases, traits or data of their types', { aliases: 'x', traits: 5, data: 'junk' }],
  ])('leaves out a current profile record that is %s, says so, and keeps the counts', async (_, record) => {
    await db.put('aggregates', aggregate(2), 'product_view');
    await db.put('profile', record as never, 'current');
    const unreadable = vi.fn();
    const profile = await loadProfile(db, () => 'anon', unreadable);
    expect(unreadable).toHaveBeenCalledOnce();
    expect([profile.aliases, profile.traits, profile.data.events.product_view?.count]).toEqual([[], {}, 2]);
  });

  it('says nothing when there is no current record yet', async () => {
    const unreadable = vi.fn();
    await loadProfile(db, () => 'anon', unreadable);
    expect(unreadable).not.toHaveBeenCalled();
  });

  it('gives no saved profile for a record that is not one, and removes it', async () => {
    await db.put('profile', 'junk' as never, 'user:u1');
    expect(await takeSavedProfile(db, 'u1')).toBeUndefined();
    expect(await db.get('profile', 'user:u1')).toBeUndefined();
  });
});
