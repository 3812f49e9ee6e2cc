import { affinityScores } from './affinities.js';
import { countWithin } from './event-aggregate.js';
import { activeHydration, type HydratedState } from './hydration.js';
import { itemIds } from './item-lists.js';
import { EMPTY_PROFILE, type EventStats, type ProfileSnapshot } from './profile.js';
import { applyEvent, compactProfileData, emptyProfileData, type ProfileData, type ProfileEventInput, type ProfileRules } from './profile-data.js';
import { rfm } from './purchases.js';
import { dict } from './records.js';

/** Everything the profile keeps, as stored (IndexedDB) and exchanged between tabs. */
export interface StoredProfile {
  anonymousId: string | null;
  userId: string | null;
  aliases: string[];
  /** Traits given on this device (identify); they win over hydrated ones. */
  traits: Record<string, unknown>;
  data: ProfileData;
  hydrated?: HydratedState | undefined;
}

/** A snapshot this old is rebuilt when read, so recency and decayed scores stay current. */
const SNAPSHOT_MAX_AGE_MS = 60_000;
const TOP_N = 5;

export function emptyStoredProfile(): StoredProfile {
  return { anonymousId: null, userId: null, aliases: [], traits: dict(), data: emptyProfileData() };
}

/** Each map of maps as dicts. */
const dicts = <T>(maps: Record<string, object>): Record<string, Record<string, T>> => {
  const out = dict<Record<string, T>>();
  for (const [key, map] of Object.entries(maps)) out[key] = dict(map);
  return out;
};

/**
 * The profile with every map keyed by data as a dict (records.ts): a profile read back from
 * IndexedDB or merged from a saved one has ordinary objects, where a later write of a key such as
 * "__proto__" would replace a prototype. Throws on a record whose maps are not objects.
 */
function withDicts(profile: StoredProfile): StoredProfile {
  const { data, hydrated } = profile;
  return {
    ...profile,
    traits: dict(profile.traits),
    data: { ...data, events: dict(data.events), affinities: dicts(data.affinities) },
    hydrated: hydrated && { ...hydrated, traits: dict(hydrated.traits), affinities: dicts(hydrated.affinities) },
  };
}

/**
 * The in-memory profile. Events update the aggregates in place, so track() stays O(1) however
 * big the profile is; the immutable snapshot that decisions and subscribers read is rebuilt
 * lazily, at most once per change (or per minute).
 */
export function createProfileState(rules: ProfileRules, healed: (error: unknown) => void) {
  let profile = emptyStoredProfile();
  let snapshot: ProfileSnapshot | undefined = EMPTY_PROFILE;
  let builtAt = 0;

  function build(nowMs: number): ProfileSnapshot {
    const { data } = profile;
    const hydrated = activeHydration(profile.hydrated, nowMs);
    const counters = dict<number>();
    const events = dict<EventStats>();
    for (const name of Object.keys(data.events)) {
      const aggregate = data.events[name]!;
      counters[name] = aggregate.count;
      events[name] = { count: aggregate.count, firstSeen: aggregate.first, lastSeen: aggregate.last };
    }
    // Hydrated scores (computed elsewhere) fill in; where both exist the higher one counts.
    const affinities = affinityScores(data.affinities, rules.affinities, nowMs);
    for (const [dimension, scores] of Object.entries(hydrated?.affinities ?? {})) {
      const local = (affinities[dimension] ??= dict());
      for (const [value, score] of Object.entries(scores)) local[value] = Math.max(local[value] ?? 0, score);
    }
    const top = dict<string[]>();
    for (const [dimension, scores] of Object.entries(affinities)) {
      top[dimension] = Object.keys(scores)
        .sort((a, b) => scores[b]! - scores[a]! || (a < b ? -1 : 1))
        .slice(0, TOP_N);
    }
    builtAt = nowMs;
    return {
      anonymousId: profile.anonymousId,
      userId: profile.userId,
      aliases: [...profile.aliases],
      counters,
      events,
      traits: dict(hydrated?.traits, profile.traits),
      visits: data.sessions.count,
      rfm: rfm(data.purchases, nowMs),
      affinities,
      top,
      viewed: itemIds(data.viewed),
      purchased: itemIds(data.purchased),
      segments: [...(hydrated?.segments ?? [])],
    };
  }

  const changed = (): void => {
    snapshot = undefined;
  };

  /**
   * Runs `task` on the profile. If it throws, the profile may have been changed outside the SDK
   * (an IndexedDB record edited by hand): `task` runs again on a fresh profile with the same ids,
   * which replaces the unreadable one if that works (`healed` is told why, so the host hears of
   * it). A failure of its own is rethrown as it is, and the profile is kept.
   */
  function healing<T>(task: () => T): T {
    try {
      return task();
    } catch (error) {
      const unreadable = profile;
      profile = { ...emptyStoredProfile(), anonymousId: profile.anonymousId, userId: profile.userId };
      let result: T;
      try {
        result = task();
      } catch {
        profile = unreadable;
        throw error;
      }
      healed(error);
      return result;
    }
  }

  return {
    get(nowMs: number): ProfileSnapshot {
      if (!snapshot || nowMs - builtAt > SNAPSHOT_MAX_AGE_MS) snapshot = healing(() => build(nowMs));
      return snapshot;
    },
    /** The ids alone, without building a snapshot (the track() hot path needs only these). */
    identity(): Readonly<Pick<StoredProfile, 'anonymousId' | 'userId'>> {
      return profile;
    },
    /** The live profile, for storage and tab messages (not a copy: do not mutate). */
    stored(): Readonly<StoredProfile> {
      return profile;
    },
    /** Applies an event; false when it was applied already (same id: another tab, a replay). */
    apply(event: ProfileEventInput): boolean {
      const applied = healing(() => applyEvent(profile.data, event, rules));
      if (applied) changed();
      return applied;
    },
    /** Events of `name` in the last `windowMs` (O(buckets)); the lifetime count without a window. */
    count(name: string, windowMs: number | undefined, nowMs: number): number {
      const aggregate = Object.hasOwn(profile.data.events, name) ? profile.data.events[name] : undefined;
      if (!aggregate) return 0;
      return windowMs === undefined ? aggregate.count : countWithin(aggregate, windowMs, nowMs);
    },
    update(patch: Partial<StoredProfile>): void {
      profile = { ...profile, ...patch };
      changed();
    },
    /**
     * Replaces everything (loaded from storage, or another tab changed identity). With `nowMs`
     * (read from storage), drops what has aged out: old buckets, expired recent events.
     */
    load(next: StoredProfile, nowMs?: number): void {
      profile = next;
      healing(() => {
        profile = withDicts(profile);
        if (nowMs !== undefined) compactProfileData(profile.data, nowMs, rules);
      });
      changed();
    },
    reset(): void {
      profile = emptyStoredProfile();
      snapshot = EMPTY_PROFILE;
    },
  };
}

export type ProfileState = ReturnType<typeof createProfileState>;
