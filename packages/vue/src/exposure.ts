import type { Decision } from '@attune/core';
import { onMounted, onScopeDispose, watch, type Ref } from 'vue';
import type { AttuneContext } from './plugin.js';

/**
 * Reports a slot's decision as shown (`client.shown`: impressions for caps, experiment exposures)
 * once its content is in the DOM (after mount or update; never pending, never in a server render)
 * or, with `exposure: 'visible'` and an element, once that element scrolls into view. The client
 * reports each experiment once per page view.
 */
export function reportShown({ client, visible }: AttuneContext, decision: Readonly<Ref<Decision>>, counts: (decision: Decision) => boolean, target?: Readonly<Ref<Element | null | undefined>>): void {
  if (!client) return;
  let inView = !visible || !target || typeof IntersectionObserver === 'undefined';
  const report = (): void => {
    // A pending slot's decision is its placeholder default, which never counts.
    if (inView && counts(decision.value)) client.shown(decision.value);
  };
  let observer: IntersectionObserver | undefined;
  onMounted(() => {
    const element = target?.value;
    if (!inView && element) {
      observer = new IntersectionObserver((entries) => {
        inView = entries[entries.length - 1]!.isIntersecting;
        report();
      });
      observer.observe(element);
    } else inView = true;
    report();
  });
  watch(decision, report, { flush: 'post' });
  onScopeDispose(() => observer?.disconnect());
}
