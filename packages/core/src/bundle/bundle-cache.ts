import type { AttuneDatabase, CachedBundleRecord } from '../storage/database.js';

/**
 * The last good bundle per source (its URL), kept in IndexedDB for instant start-up. Written
 * only once the client's database is open, that is after a consent grant.
 */

export function readCachedBundle(db: AttuneDatabase, source: string): Promise<CachedBundleRecord | undefined> {
  return db.get('bundles', source);
}

/**
 * Stores `record` as the last good bundle of `source` unless a higher version is cached already
 * (another tab may have stored a newer one). Resolves to whether it was written.
 */
export async function cacheBundle(db: AttuneDatabase, source: string, record: CachedBundleRecord): Promise<boolean> {
  const tx = db.transaction('bundles', 'readwrite');
  const stored = await tx.store.get(source);
  const newer = stored !== undefined && stored.version > record.version;
  if (!newer) await tx.store.put(record, source);
  await tx.done;
  return !newer;
}
