import type { AttuneDatabase, CachedBundleRecord } from '../storage/database.js';

/**
 * The last good bundle per source (its URL), kept in IndexedDB for instant start-up. Written
 * only once the client's database is open, that is after a consent grant.
 */

export function readCachedBundle(db: AttuneDatabase, source: string): Promise<CachedBundleRecord | undefined> {
  return db.get('bundles', source);
}

/**
 * Stores `record` as the last good bundle of `source` if the cache still holds the copy whose
 * text is `replaces` (undefined: none), the one checked against: another tab may have cached a
 * copy meanwhile, checked by that tab. Resolves to whether it was written.
 */
export async function cacheBundle(db: AttuneDatabase, source: string, record: CachedBundleRecord, replaces: string | undefined): Promise<boolean> {
  const tx = db.transaction('bundles', 'readwrite');
  const unchanged = (await tx.store.get(source))?.text === replaces;
  if (unchanged) await tx.store.put(record, source);
  await tx.done;
  return unchanged;
}
