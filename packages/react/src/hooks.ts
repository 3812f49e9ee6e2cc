'use client';
import type { AttuneClient, ConsentState, ProfileSnapshot, RecommendationList, RecommendCallOptions, SlotView } from '@attune/core';
import { useEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import { useStore, type AttuneStore } from './store.js';

/** The client of the nearest provider; undefined while rendering on a server. */
export function useAttune(): AttuneClient | undefined {
  return useStore('useAttune()').client;
}

/** A slot's view: re-renders only when it changes. */
export function useSlotView(store: AttuneStore, slot: string): SlotView {
  const { views } = store;
  return useSyncExternalStore(views.subscribe, () => views.get(slot), () => views.server(slot));
}

/**
 * Reports `view` as shown once committed (never while pending, never on a server); views are new
 * for each page view, so what stays on screen is reported again. With `exposure="visible"` and an
 * element, once that element is in view.
 */
export function useShown(store: AttuneStore, view: SlotView, element: RefObject<Element | null> | undefined, shows = true): void {
  useEffect(() => {
    if (!shows || view.pending) return;
    const target = element?.current;
    if (store.exposure !== 'visible' || !target || typeof IntersectionObserver !== 'function') return store.views.shown(view);
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      store.views.shown(view);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [store, view, shows]);
}

/**
 * The decision of `slot` and whether it is still pending (render its default hidden then). Reports
 * the exposure once the component has rendered it (with `exposure="visible"`, once `element` is in
 * view). An unknown slot gets its default, with the reason.
 */
export function useDecision(slot: string, element?: RefObject<Element | null>): SlotView {
  const store = useStore('useDecision()');
  const view = useSlotView(store, slot);
  useShown(store, view, element);
  return view;
}

/** The consent state; re-renders when it changes. */
export function useConsent(): Readonly<ConsentState> {
  const store = useStore('useConsent()');
  return useSyncExternalStore(store.subscribe, () => store.client?.getSnapshot().consent ?? store.serverConsent, () => store.serverConsent);
}

/**
 * The visitor's profile, or what `selector` picks from it; re-renders only when that changes
 * (compared with Object.is: select a value, or a part of the profile, rather than a new object).
 * Empty on a server: the profile lives on the device.
 */
export function useProfile(): ProfileSnapshot;
export function useProfile<T>(selector: (profile: ProfileSnapshot) => T): T;
export function useProfile<T>(selector?: (profile: ProfileSnapshot) => T): T | ProfileSnapshot {
  const store = useStore('useProfile()');
  const last = useRef<{ profile: ProfileSnapshot; value: unknown }>(undefined);
  const select = (profile: ProfileSnapshot): unknown => {
    if (last.current?.profile !== profile) {
      const value = selector ? selector(profile) : profile;
      last.current = { profile, value: last.current && Object.is(last.current.value, value) ? last.current.value : value };
    }
    return last.current.value;
  };
  return useSyncExternalStore(store.subscribe, () => select(store.client?.getSnapshot().profile ?? store.serverProfile), () => select(store.serverProfile)) as T | ProfileSnapshot;
}

/** What a server renders (and hydration matches): recommendations are ranked on the device. */
const NOT_YET: RecommendationList = Object.freeze({ items: [], fallback: false, status: 'loading' });

/**
 * The bundle recommender `id`'s list for the visitor (docs/models.md "Recommendations"): `loading` on a
 * server and until ranked, then `ready` (or `unavailable`, with a message); re-renders only when
 * the list changes. Render the items as text.
 */
export function useRecommendations(id: string, options: RecommendCallOptions = {}): RecommendationList {
  const store = useStore('useRecommendations()');
  return useSyncExternalStore(store.subscribe, () => store.client?.recommend(id, options) ?? NOT_YET, () => NOT_YET);
}
