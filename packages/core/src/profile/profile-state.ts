import { EMPTY_PROFILE, type ProfileSnapshot } from './profile.js';

/**
 * The in-memory profile. Counters are updated in place, so track() stays O(1) however many event
 * names the profile holds; the immutable snapshot that decisions and subscribers read is rebuilt
 * lazily, at most once per change.
 */
export function createProfileState() {
  let identity: Pick<ProfileSnapshot, 'anonymousId' | 'userId'> = { anonymousId: null, userId: null };
  let traits: Record<string, unknown> = {};
  let counters: Record<string, number> = {};
  let snapshot: ProfileSnapshot | undefined = EMPTY_PROFILE;

  return {
    get(): ProfileSnapshot {
      snapshot ??= { ...identity, counters: { ...counters }, traits: { ...traits } };
      return snapshot;
    },
    /** The ids alone, without building a snapshot (the track() hot path needs only these). */
    identity(): Readonly<Pick<ProfileSnapshot, 'anonymousId' | 'userId'>> {
      return identity;
    },
    increment(name: string): void {
      counters[name] = (counters[name] ?? 0) + 1;
      snapshot = undefined;
    },
    setIdentity(patch: Partial<Pick<ProfileSnapshot, 'anonymousId' | 'userId'>>): void {
      identity = { ...identity, ...patch };
      snapshot = undefined;
    },
    mergeTraits(more: Readonly<Record<string, unknown>>): void {
      traits = { ...traits, ...more };
      snapshot = undefined;
    },
    /** Adds stored counts to the ones counted in memory while storage was opening. */
    mergeCounters(stored: Readonly<Record<string, number>>): void {
      for (const [name, count] of Object.entries(stored)) counters[name] = (counters[name] ?? 0) + count;
      snapshot = undefined;
    },
    clearCounters(): void {
      counters = {};
      snapshot = undefined;
    },
    reset(): void {
      identity = { anonymousId: null, userId: null };
      traits = {};
      counters = {};
      snapshot = EMPTY_PROFILE;
    },
  };
}

export type ProfileState = ReturnType<typeof createProfileState>;
