/**
 * How events update the profile aggregate, and how two histories merge: the profile updates part
 * (see client/load-parts.ts). The first decision reads the stored profile (profile-data.ts and
 * its readers) and needs none of this; the client loads it beside IndexedDB's open and applies
 * events once it is there.
 */
import { applyAffinities, mergeAffinities } from './affinities.js';
import { createAggregate, mergeAggregates, recordOccurrence, type EventAggregate } from './event-aggregate.js';
import { applyItems, mergeItemLists } from './item-lists.js';
import { applyPurchase, mergePurchases } from './purchases.js';
import { mergeRecent, pushRecent } from './recent-events.js';
import { markSeen } from './seen-ids.js';
import { dict, dropLowest, own } from './records.js';
import type { ProfileData, ProfileEventInput, ProfileRules, ProfileSessions } from './profile-data.js';

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

/** The profile updates part. */
export const profileUpdates = { applyEvent, mergeProfileData };
export type ProfileUpdates = typeof profileUpdates;
