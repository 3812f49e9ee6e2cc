import type { AttuneClient, AttuneSnapshot, ConsentState, Decision, ProfileSnapshot } from '@attune/core';
import { onScopeDispose, shallowReadonly, shallowRef, type MaybeRefOrGetter, type Ref } from 'vue';
import { reportShown } from './exposure.js';
import { attuneContext } from './plugin.js';
import { slotState } from './slot-state.js';

/** The Attune client the plugin provides; undefined during a server render (the profile lives on the device). */
export function useAttune(): AttuneClient | undefined {
  return attuneContext('useAttune()').client;
}

export interface UseDecisionOptions {
  /** Report the decision as shown (`client.shown`) once rendered. Default true; false for a decision read but not shown. */
  exposure?: boolean;
  /** With the plugin's `exposure: 'visible'`: the element whose coming into view counts as shown. */
  target?: Readonly<Ref<Element | null | undefined>>;
}

/**
 * A slot's decision as read-only refs: `decision` (never throws: an unknown slot gets its default
 * with a reason) and `pending` (keep the slot hidden, e.g. `visibility: hidden`: its decision may
 * still change; at most `pendingTimeoutMs`, then the default stays). The component updates only
 * when that slot's decision changes. Reported as shown once mounted (see `exposure`).
 */
export function useDecision(slot: MaybeRefOrGetter<string>, options: UseDecisionOptions = {}): { decision: Readonly<Ref<Decision>>; pending: Readonly<Ref<boolean>> } {
  const context = attuneContext('useDecision()');
  const state = slotState(context, slot);
  if (options.exposure !== false) reportShown(context, state.decision, () => true, options.target);
  return { decision: shallowReadonly(state.decision), pending: shallowReadonly(state.pending) };
}

/** A value read from the client's snapshot, updated (and the component re-rendered) only when it changes. */
function select<T>(caller: string, read: (snapshot: Pick<AttuneSnapshot, 'consent' | 'profile'>) => T): Readonly<Ref<T>> {
  const { client } = attuneContext(caller);
  const value = shallowRef(read(client ? client.getSnapshot() : SERVER_SNAPSHOT));
  if (client) onScopeDispose(client.subscribe(() => (value.value = read(client.getSnapshot()))));
  return shallowReadonly(value);
}

/** Consent state of every purpose (a read-only ref); change it with `useAttune().consent.grant()` / `deny()`. */
export function useConsent(): Readonly<Ref<Readonly<ConsentState>>> {
  return select('useConsent()', (snapshot) => snapshot.consent);
}

/**
 * The local profile, or what `selector` picks from it (a read-only ref): the component updates
 * only when the selected value changes (`Object.is`), e.g. `useProfile((p) => p.counters.product_viewed ?? 0)`.
 */
export function useProfile(): Readonly<Ref<ProfileSnapshot>>;
export function useProfile<T>(selector: (profile: ProfileSnapshot) => T): Readonly<Ref<T>>;
export function useProfile<T>(selector?: (profile: ProfileSnapshot) => T): Readonly<Ref<T | ProfileSnapshot>> {
  return select('useProfile()', (snapshot) => (selector ? selector(snapshot.profile) : snapshot.profile));
}

const none = Object.freeze({});
/** What a server render reads: no consent known, an empty profile (the profile lives on the device). */
const SERVER_SNAPSHOT: Pick<AttuneSnapshot, 'consent' | 'profile'> = {
  consent: { analytics: 'unknown', personalization: 'unknown' },
  profile: { anonymousId: null, userId: null, aliases: [], counters: none, events: none, traits: none, visits: 0, rfm: { recencyDays: null, frequency: 0, monetary: 0 }, affinities: none, top: none, viewed: [], purchased: [], segments: [] },
};
