import type { ProfileSnapshot } from '../profile/profile.js';
import type { AttuneDatabase } from './database.js';

/** Reads the stored profile, creating the anonymous id on first use (after consent). */
export async function loadProfile(db: AttuneDatabase, createId: () => string): Promise<ProfileSnapshot> {
  const tx = db.transaction(['meta', 'counters'], 'readwrite');
  const meta = tx.objectStore('meta');
  const countersStore = tx.objectStore('counters');
  let anonymousId = await meta.get('anonymousId');
  if (typeof anonymousId !== 'string' || !anonymousId) {
    anonymousId = createId();
    await meta.put(anonymousId, 'anonymousId');
  }
  const [userId, names, values] = await Promise.all([meta.get('userId'), countersStore.getAllKeys(), countersStore.getAll()]);
  await tx.done;
  const counters: Record<string, number> = {};
  names.forEach((name, i) => {
    counters[name] = values[i] ?? 0;
  });
  return { anonymousId, userId: typeof userId === 'string' ? userId : null, counters, traits: {} };
}

/** Remembers (or forgets, with null) the user id given to `identify`. */
export async function storeUserId(db: AttuneDatabase, userId: string | null): Promise<void> {
  if (userId === null) await db.delete('meta', 'userId');
  else await db.put('meta', userId, 'userId');
}
