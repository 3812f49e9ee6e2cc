import type { AttuneClient, AttuneSnapshot, ConsentState, ProfileSnapshot, RecommendationList, RecommendCallOptions, SlotView } from '@attune/core';
import { onScopeDispose, shallowReadonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { reportShown } from './exposure.js';
import { afterHydration, attuneContext } from './plugin.js';
import { slotView } from './slot-view.js';

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
 * A slot's view as a read-only ref: `decision` (never throws: an unknown slot gets its default,
 * with the reason) and `pending` (render the slot's default hidden, e.g. `visibility: hidden`: its
 * decision may still change; at most `pendingTimeoutMs`, then the default stays). The component
 * updates only when that slot's view changes. Reported as shown once mounted (see `exposure`).
 */
export function useDecision(slot: MaybeRefOrGetter<string>, options: UseDecisionOptions = {}): Readonly<Ref<SlotView>> {
  const context = attuneContext('useDecision()');
  const view = slotView(context, slot);
  if (options.exposure !== false) reportShown(context, view, () => true, options.target);
  return shallowReadonly(view);
}

/**
 * A value read from the client's snapshot, updated (and its component re-rendered) only when it
 * changes. A server render and the hydration read what the server knew; the browser's own value
 * follows once mounted.
 */
function select<T>(caller: string, read: (snapshot: Pick<AttuneSnapshot, 'consent' | 'profile'>) => T): Readonly<Ref<T>> {
  const context = attuneContext(caller);
  const { client } = context;
  const value = shallowRef(read(client && !context.hydrating ? client.getSnapshot() : context.server));
  if (client) {
    const update = (): void => {
      value.value = read(client.getSnapshot());
    };
    onScopeDispose(client.subscribe(update));
    afterHydration(context, update);
  }
  return shallowReadonly(value);
}

/** Consent state of every purpose (a read-only ref); change it with `useAttune().consent.grant()` / `deny()`. */
export function useConsent(): Readonly<Ref<Readonly<ConsentState>>> {
  return select('useConsent()', (snapshot) => snapshot.consent);
}

/**
 * The local profile, or what `selector` picks from it (a read-only ref): the component updates
 * only when the selected value changes (`Object.is`), e.g. `useProfile((p) => p.counters.product_viewed ?? 0)`.
 * Empty on a server: the profile lives on the device.
 */
export function useProfile(): Readonly<Ref<ProfileSnapshot>>;
export function useProfile<T>(selector: (profile: ProfileSnapshot) => T): Readonly<Ref<T>>;
export function useProfile<T>(selector?: (profile: ProfileSnapshot) => T): Readonly<Ref<T | ProfileSnapshot>> {
  return select('useProfile()', (snapshot) => (selector ? selector(snapshot.profile) : snapshot.profile));
}

/** What a server renders (and hydration matches): recommendations are ranked on the device. */
const NOT_YET: RecommendationList = Object.freeze({ items: [], fallback: false, status: 'loading' });

/**
 * The bundle recommender `id`'s list for the visitor (a read-only ref; docs/models.md "Recommendations"):
 * `loading` on a server and until ranked, then `ready` (or `unavailable`, with a message). Follows
 * the profile, and `id` / `options` when they are refs or getters. Render the items as text.
 */
export function useRecommendations(id: MaybeRefOrGetter<string>, options: MaybeRefOrGetter<RecommendCallOptions> = {}): Readonly<Ref<RecommendationList>> {
  const context = attuneContext('useRecommendations()');
  const { client } = context;
  const read = (): RecommendationList => (client && !context.hydrating ? client.recommend(toValue(id), toValue(options)) : NOT_YET);
  const list = shallowRef(read());
  if (client) {
    const update = (): void => {
      list.value = read();
    };
    onScopeDispose(client.subscribe(update));
    afterHydration(context, update);
    watch(() => [toValue(id), toValue(options)], update, { deep: true });
  }
  return shallowReadonly(list);
}
