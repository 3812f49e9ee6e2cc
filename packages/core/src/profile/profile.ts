import { dict } from './records.js';

/** Counts and times of one event name (epoch milliseconds). */
export interface EventStats {
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * What rules see as `profile.*`: the visitor's local profile, read synchronously by `decide`.
 * Time-relative values (recency, decayed affinities) are as of when the snapshot was built: after
 * each change, and at least once a minute when decisions read it. Maps keyed by data (counters,
 * events, traits, affinities, top) have no prototype: every key is data.
 */
export interface ProfileSnapshot {
  /** Set once a purpose is granted; null before consent. */
  anonymousId: string | null;
  /** Set by `identify(userId)`; null for anonymous visitors. */
  userId: string | null;
  /** Other ids of this visitor: anonymous ids stitched in by `identify`, previous ids of `alias`. */
  aliases: readonly string[];
  /** Lifetime number of events per event name. */
  counters: Readonly<Record<string, number>>;
  /** Lifetime count and first/last time per event name. */
  events: Readonly<Record<string, EventStats>>;
  /** Traits from `identify` and hydration (email and phone normalized; they never leave the device raw). */
  traits: Readonly<Record<string, unknown>>;
  /** Visits (sessions). */
  visits: number;
  /** Recency (whole days since the last purchase), frequency (purchases) and monetary value (revenue). */
  rfm: Readonly<{ recencyDays: number | null; frequency: number; monetary: number }>;
  /** Decayed affinity scores: dimension (category, brand, tag, ...) → value → score. */
  affinities: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The five highest-scoring values per affinity dimension, best first. */
  top: Readonly<Record<string, readonly string[]>>;
  /** Item ids viewed and purchased, most recent first. */
  viewed: readonly string[];
  purchased: readonly string[];
  /** Segment ids given by hydration (a CDP, the server). */
  segments: readonly string[];
  /**
   * The journey stage the bundle's `stages` give (the last whose rule matches; null when none).
   * Present in the client's snapshot when the bundle defines stages; rules always see it.
   */
  stage?: string | null;
}

export const EMPTY_PROFILE: ProfileSnapshot = Object.freeze<ProfileSnapshot>({
  anonymousId: null,
  userId: null,
  aliases: [],
  counters: dict(),
  events: dict(),
  traits: dict(),
  visits: 0,
  rfm: { recencyDays: null, frequency: 0, monetary: 0 },
  affinities: dict(),
  top: dict(),
  viewed: [],
  purchased: [],
  segments: [],
});
