/** What rules see as `profile.*`: the visitor's local profile, read synchronously by `decide`. */
export interface ProfileSnapshot {
  /** Set once a purpose is granted; null before consent. */
  anonymousId: string | null;
  /** Lifetime number of events per event name. */
  counters: Readonly<Record<string, number>>;
  traits: Readonly<Record<string, unknown>>;
}

export const EMPTY_PROFILE: ProfileSnapshot = Object.freeze({ anonymousId: null, counters: Object.freeze({}), traits: Object.freeze({}) });

export function withIncrement(profile: ProfileSnapshot, name: string): ProfileSnapshot {
  return { ...profile, counters: { ...profile.counters, [name]: (profile.counters[name] ?? 0) + 1 } };
}
