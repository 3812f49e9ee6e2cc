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
