/**
 * The whole local profile aggregate: plain data (structured-cloneable into IndexedDB), updated one
 * event at a time and mergeable, so two histories (anonymous and known, or a batch's delta and the
 * stored record) combine without replaying events.
 */
import { DEFAULT_AFFINITY_RULES, applyAffinities, mergeAffinities, type AffinityRule, type AffinityScores } from './affinities.js';
import { createAggregate, mergeAggregates, pruneAggregate, recordOccurrence, type EventAggregate } from './event-aggregate.js';
import { DEFAULT_ITEM_RULE, applyItems, mergeItemLists, type ItemList, type ItemRule } from './item-lists.js';
import { DEFAULT_PURCHASE_RULE, applyPurchase, emptyPurchases, mergePurchases, type PurchaseRule, type Purchases } from './purchases.js';
import { expireRecent, mergeRecent, pushRecent, trimOldest, type RecentEvent } from './recent-events.js';
import { markSeen } from './seen-ids.js';
import { dict, dropLowest, own } from './records.js';
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
 * A session id other than the latest one, on an event not older than the latest, is a new visit;
 * so is one other than the earliest, on an event older than the earliest (out of order). Events in
 * between with another id are taken as belonging to a visit already counted.
 */
function applySession(s: ProfileSessions, sessionId: string, t: number): void {
  if (s.last === null || t >= s.last) {
    if (sessionId !== s.lastId) s.count++;
    s.lastId = sessionId;
    s.last = t;
    if (s.first === null) [s.first, s.firstId] = [t, sessionId];
  } else if (t < s.first!) {
    if (sessionId !== s.firstId) s.count++;
    [s.first, s.firstId] = [t, sessionId];
  }
}

/**
 * Applies one event (mutates). Returns false, changing nothing, when the id was already applied or
 * the time is not a finite number. `event.properties` is kept by reference in `recent`: pass an
 * object that is not mutated afterwards.
 */
export function applyEvent(data: ProfileData, event: ProfileEventInput, rules: ProfileRules): boolean {
  const { name, timestampMs: t, sessionId } = event;
  if (!Number.isFinite(t) || !markSeen(data.seen, event.id, rules.seenIds)) return false;
  const agg = own(data.events, name) ?? (data.events[name] = createAggregate());
  recordOccurrence(agg, t);
  if (agg.count === 1) dropLowest(data.events, rules.maxEventNames, (e) => e.last, name);
  if (sessionId) applySession(data.sessions, sessionId, t);
  applyPurchase(data.purchases, event, rules.purchases);
  applyAffinities(data.affinities, event, rules.affinities);
  applyItems(data.viewed, data.purchased, event, rules.items);
  pushRecent(data.recent, event, rules.recentCap);
  return true;
}

/** Visits of both histories; a session that is one's last and the other's first is counted once. */
function mergeSessions(a: ProfileSessions, b: ProfileSessions): ProfileSessions {
  if (a.last === null) return { ...b };
  if (b.last === null) return { ...a };
  const earliest = a.first! <= b.first! ? a : b;
  const latest = b.last >= a.last ? b : a;
  const continued = a.lastId === b.firstId || b.lastId === a.firstId;
  return { count: a.count + b.count - (continued ? 1 : 0), firstId: earliest.firstId, lastId: latest.lastId, first: earliest.first, last: latest.last };
}

/**
 * a + b for stitching two different histories (anonymous into known) and for writing a batch's
 * delta onto the stored record. Counts, purchases and scores are summed: the histories must not
 * share events (apply the batch to a fresh delta, not to a copy of the record). `recent` and
 * `seen` hold each id once. Returns a new object sharing no mutable part with the inputs, which
 * stay unchanged; buckets past retention stay until `compactProfileData`.
 */
export function mergeProfileData(a: ProfileData, b: ProfileData, rules: ProfileRules): ProfileData {
  const events = dict<EventAggregate>();
  for (const [name, agg] of [...Object.entries(a.events), ...Object.entries(b.events)]) {
    events[name] = mergeAggregates(events[name] ?? createAggregate(), agg);
  }
  dropLowest(events, rules.maxEventNames, (e) => e.last);
  const seen = [...new Set([...a.seen, ...b.seen])];
  return {
    events,
    sessions: mergeSessions(a.sessions, b.sessions),
    purchases: mergePurchases(a.purchases, b.purchases),
    affinities: mergeAffinities(a.affinities, b.affinities, rules.affinities),
    viewed: mergeItemLists(a.viewed, b.viewed, rules.items.max),
    purchased: mergeItemLists(a.purchased, b.purchased, rules.items.max),
    recent: mergeRecent(a.recent, b.recent, rules.recentCap),
    seen: seen.slice(Math.max(0, seen.length - rules.seenIds)),
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
