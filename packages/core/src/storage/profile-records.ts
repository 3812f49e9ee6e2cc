import type { IDBPTransaction } from 'idb';
import { dict } from '../profile/records.js';
import { emptyStoredProfile, type StoredProfile } from '../profile/profile-state.js';
import { background, type AttuneDatabase, type AttuneDatabaseSchema, type CurrentProfileRecord, type SavedProfileRecord } from './database.js';

type ProfileTransaction = IDBPTransaction<AttuneDatabaseSchema, ('aggregates' | 'profile' | 'meta' | 'queue')[], 'readwrite'>;

const CURRENT = 'current';
/** Profiles of users who logged out, kept on this device: the most recent ones only. */
const MAX_SAVED_PROFILES = 3;
const savedKey = (userId: string): string => `user:${userId}`;

/** Whether a stored profile record has the shape loading relies on (else it was changed outside the SDK). */
const isProfileRecord = (record: unknown): record is CurrentProfileRecord => {
  const { aliases, traits, data } = Object(record) as Partial<CurrentProfileRecord>;
  return Array.isArray(aliases) && traits instanceof Object && data instanceof Object;
};

/**
 * Reads the active profile, creating the anonymous id on first use (after consent). A record that
 * is not a profile (changed outside the SDK) makes it start afresh with the same ids; `unreadable`
 * hears of it.
 */
export async function loadProfile(db: AttuneDatabase, createId: () => string, unreadable?: () => void): Promise<StoredProfile> {
  // Read only: a read-write transaction waits for every write of the stores before it (the last
  // page's, written as it was left), and start-up waits for this read.
  const tx = db.transaction(['meta', 'aggregates', 'profile'], 'readonly');
  const meta = tx.objectStore('meta');
  const aggregates = tx.objectStore('aggregates');
  const [storedId, userId, names, values, stored] = await Promise.all([
    meta.get('anonymousId'),
    meta.get('userId'),
    aggregates.getAllKeys(),
    aggregates.getAll(),
    tx.objectStore('profile').get(CURRENT),
  ]);
  await tx.done;
  let anonymousId = storedId;
  if (typeof anonymousId !== 'string' || !anonymousId) {
    // A first visit: made in a read-write transaction that reads again, so two tabs opening at
    // once agree on one id.
    const write = db.transaction('meta', 'readwrite');
    anonymousId = await write.store.get('anonymousId');
    if (typeof anonymousId !== 'string' || !anonymousId) {
      anonymousId = createId();
      await write.store.put(anonymousId, 'anonymousId');
    }
    await write.done;
  }
  const profile = emptyStoredProfile();
  const events: StoredProfile['data']['events'] = dict();
  // The counts go with the record: it holds the ids of the events they counted, which the events
  // saved by the last page are checked against.
  const current = stored === undefined || isProfileRecord(stored) ? stored : unreadable?.();
  if (current || !stored) names.forEach((name, i) => (events[name] = values[i]!));
  return {
    ...profile,
    ...current,
    anonymousId,
    userId: typeof userId === 'string' ? userId : null,
    data: { ...profile.data, ...current?.data, events },
  };
}

function currentRecord(profile: Readonly<StoredProfile>): CurrentProfileRecord {
  const { events: _events, ...data } = profile.data;
  return { aliases: profile.aliases, traits: profile.traits, hydrated: profile.hydrated, data };
}

/**
 * Writes what changed of the active profile inside `tx`: the aggregates of `names`, and the rest
 * of the profile (one record). Aggregates of names the profile no longer keeps are deleted.
 */
export function writeProfile(tx: ProfileTransaction, profile: Readonly<StoredProfile>, names: Iterable<string>): void {
  const aggregates = tx.objectStore('aggregates');
  for (const name of names) {
    const aggregate = Object.hasOwn(profile.data.events, name) ? profile.data.events[name] : undefined;
    background(aggregate ? aggregates.put(aggregate, name) : aggregates.delete(name));
  }
  background(tx.objectStore('profile').put(currentRecord(profile), CURRENT));
}

/** Replaces the whole active profile: ids, every aggregate, the rest. */
export async function replaceProfile(db: AttuneDatabase, profile: Readonly<StoredProfile>): Promise<void> {
  const tx = db.transaction(['aggregates', 'profile', 'meta'], 'readwrite');
  background(tx.objectStore('aggregates').clear());
  writeProfile(tx as unknown as ProfileTransaction, profile, Object.keys(profile.data.events));
  const meta = tx.objectStore('meta');
  if (profile.anonymousId) background(meta.put(profile.anonymousId, 'anonymousId'));
  background(profile.userId ? meta.put(profile.userId, 'userId') : meta.delete('userId'));
  await tx.done;
}

/** The profile `userId` left on this device when logging out, removed from the saved ones. */
export async function takeSavedProfile(db: AttuneDatabase, userId: string): Promise<StoredProfile | undefined> {
  const tx = db.transaction('profile', 'readwrite');
  const saved = (await tx.store.get(savedKey(userId))) as SavedProfileRecord | undefined;
  if (saved) await tx.store.delete(savedKey(userId));
  await tx.done;
  if (!isProfileRecord(saved)) return undefined;
  const { savedAt: _savedAt, ...profile } = saved;
  return profile;
}

/** Keeps a known user's profile for their next login on this device (the newest few only). */
export async function saveProfile(db: AttuneDatabase, profile: Readonly<StoredProfile>, nowMs: number): Promise<void> {
  if (!profile.userId) return;
  const tx = db.transaction('profile', 'readwrite');
  await tx.store.put({ ...profile, savedAt: nowMs }, savedKey(profile.userId));
  const keys = (await tx.store.getAllKeys()).filter((key) => key.startsWith('user:'));
  const saved = (await Promise.all(keys.map((key) => tx.store.get(key)))) as SavedProfileRecord[];
  const oldestFirst = keys.map((key, i) => [key, saved[i]?.savedAt ?? 0] as const).sort((a, b) => a[1] - b[1]);
  for (const [key] of oldestFirst.slice(0, Math.max(0, keys.length - MAX_SAVED_PROFILES))) background(tx.store.delete(key));
  await tx.done;
}
