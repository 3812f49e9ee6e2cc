import type { SlotView } from '@attune/core';
import { onMounted, onScopeDispose, watch, type Ref } from 'vue';
import type { AttuneContext } from './plugin.js';

/**
 * Reports a slot's view as shown (`client.shown`: impressions for caps, experiment exposures) once
 * it is in the DOM (mounted or updated; never pending, never in a server render), and again on
 * each new page view while it stays (the client counts one exposure per experiment per page view).
 * With `exposure: 'visible'` and an element: only while that element is in view.
 */
export function reportShown({ views, visible }: AttuneContext, view: Readonly<Ref<SlotView>>, counts: (view: SlotView) => boolean, target?: Readonly<Ref<Element | null | undefined>>): void {
  let inView = !visible || !target || typeof IntersectionObserver === 'undefined';
  // A new page view gives a new view (views.ts): reported again while it stays on screen.
  const sync = (): void => {
    if (inView && counts(view.value)) views.shown(view.value);
  };
  let observer: IntersectionObserver | undefined;
  onMounted(() => {
    const element = target?.value;
    if (!inView && element) {
      observer = new IntersectionObserver((entries) => {
        inView = entries.some((entry) => entry.isIntersecting);
        sync();
      });
      observer.observe(element);
    } else {
      inView = true;
      sync();
    }
  });
  watch(view, sync, { flush: 'post' });
  onScopeDispose(() => observer?.disconnect());
}
