/** What rules see as `profile.*`: the visitor's local profile, read synchronously by `decide`. */
export interface ProfileSnapshot {
  /** Set once a purpose is granted; null before consent. */
  anonymousId: string | null;
  /** Set by `identify(userId)`; null for anonymous visitors. */
  userId: string | null;
  /** Lifetime number of events per event name. */
  counters: Readonly<Record<string, number>>;
  traits: Readonly<Record<string, unknown>>;
}

export const EMPTY_PROFILE: ProfileSnapshot = Object.freeze({ anonymousId: null, userId: null, counters: Object.freeze({}), traits: Object.freeze({}) });

export function withIncrement(profile: ProfileSnapshot, name: string): ProfileSnapshot {
  return { ...profile, counters: { ...profile.counters, [name]: (profile.counters[name] ?? 0) + 1 } };
}

/** Counts made in memory while the database was opening are added to the stored ones. */
export function mergeCounts(stored: Readonly<Record<string, number>>, pending: Readonly<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = { ...stored };
  for (const [name, count] of Object.entries(pending)) merged[name] = (merged[name] ?? 0) + count;
  return merged;
}
