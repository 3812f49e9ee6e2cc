/**
 * The whole local profile aggregate: plain data (structured-cloneable into IndexedDB), updated one
 * event at a time and mergeable, so two histories (anonymous and known, or a batch's delta and the
 * stored record) combine without replaying events. How it is updated and merged is in
 * profile-updates.ts (a part of its own: reading a profile does not need it).
 */
import { DEFAULT_AFFINITY_RULES, type AffinityRule, type AffinityScores } from './affinities.js';
import { pruneAggregate, type EventAggregate } from './event-aggregate.js';
import { DEFAULT_ITEM_RULE, type ItemList, type ItemRule } from './item-lists.js';
import { DEFAULT_PURCHASE_RULE, emptyPurchases, type PurchaseRule, type Purchases } from './purchases.js';
import { expireRecent, trimOldest, type RecentEvent } from './recent-events.js';
import { dict } from './records.js';
import type { ProfileEventInput } from './event-input.js';
export type { ProfileEventInput } from './event-input.js';

/** What the profile keeps and how much of it. */
export interface ProfileRules {
  affinities: readonly AffinityRule[];
  purchases: PurchaseRule;
  items: ItemRule;
  /** Raw events kept in `recent` (up to an eighth more between compactions: they are trimmed in batches). */
  recentCap: number;
  /** Age after which `compactProfileData` drops a raw event. */
  recentTtlMs: number;
  /** Event names aggregated: beyond it the least recently seen name is dropped, so memory stays bounded even for sites that generate names. */
  maxEventNames: number;
  /** Event ids remembered to apply each event once (at least this many; trimmed in batches like `recent`). */
  seenIds: number;
}

/** Default rules: 100 raw events for 30 days, 200 event names, 500 ids. */
export const DEFAULT_PROFILE_RULES: ProfileRules = {
  affinities: DEFAULT_AFFINITY_RULES,
  purchases: DEFAULT_PURCHASE_RULE,
  items: DEFAULT_ITEM_RULE,
  recentCap: 100,
  recentTtlMs: 30 * 86_400_000,
  maxEventNames: 200,
  seenIds: 500,
};

/**
 * Visits. `first`/`last` are the times of the earliest and latest events carrying a session id,
 * `firstId`/`lastId` those events' session ids (`firstId` lets a merge see a session continuing
 * across both histories).
 */
export interface ProfileSessions {
  count: number;
  firstId: string | null;
  lastId: string | null;
  first: number | null;
  last: number | null;
}

/** The stored, mergeable profile aggregate. */
export interface ProfileData {
  /** Per event name (a dict, records.ts). */
  events: Record<string, EventAggregate>;
  sessions: ProfileSessions;
  purchases: Purchases;
  affinities: AffinityScores;
  viewed: ItemList;
  purchased: ItemList;
  recent: RecentEvent[];
  /** Ids of recently applied events (newest last, capped at rules.seenIds + 1/8): the same event id is applied once. */
  seen: string[];
}

/** A profile with no events. */
export function emptyProfileData(): ProfileData {
  return {
    events: dict(),
    sessions: { count: 0, firstId: null, lastId: null, first: null, last: null },
    purchases: emptyPurchases(),
    affinities: dict(),
    viewed: [],
    purchased: [],
    recent: [],
    seen: [],
  };
}

/**
 * Drops expired raw events and buckets, and trims `recent` and `seen` to their exact caps
 * (mutates); aggregates (counts, first/last, purchases, affinities) stay.
 */
export function compactProfileData(data: ProfileData, nowMs: number, rules: ProfileRules): void {
  for (const agg of Object.values(data.events)) pruneAggregate(agg, nowMs);
  expireRecent(data.recent, nowMs, rules.recentTtlMs);
  trimOldest(data.recent, rules.recentCap, 0);
  trimOldest(data.seen, rules.seenIds, 0);
}
