import type { SlotView } from '@attune/core';
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { afterHydration, type AttuneContext } from './plugin.js';

/**
 * A slot's view (its decision, and whether it is pending) from core's slot views, which hold the
 * no-flicker rules: the hydration renders what the server rendered, then the browser's view
 * follows. The ref changes only when the view does (the same object while unchanged); the
 * subscription ends with the scope (component).
 */
export function slotView(context: AttuneContext, slot: MaybeRefOrGetter<string>): Readonly<ShallowRef<SlotView>> {
  const { views } = context;
  const view = shallowRef(context.hydrating ? views.server(toValue(slot)) : views.get(toValue(slot)));
  const update = (): void => {
    view.value = views.get(toValue(slot));
  };
  onScopeDispose(views.subscribe(update));
  watch(() => toValue(slot), update);
  afterHydration(context, update);
  return view;
}
