import type { AttuneClient } from '@attune/core';

/** The page's own markup of each slot, kept so a default decision can put it back. */
const originals = new WeakMap<Element, Node[]>();

/**
 * Fills every `[data-attune-slot]` element with its decided content, as text (never markup).
 * A default decision restores the element's own markup. The reason is exposed as
 * `data-attune-reason` so the page (and QA) can see why.
 */
export function renderSlots(client: AttuneClient, root: ParentNode = document): void {
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('[data-attune-slot]'))) {
    const slot = element.dataset.attuneSlot;
    if (!slot) continue;
    if (!originals.has(element)) originals.set(element, Array.from(element.childNodes, (node) => node.cloneNode(true)));
    const decision = client.decide(slot);
    element.dataset.attuneReason = decision.reason;
    if (decision.reason === 'matched' && decision.content?.type === 'text') {
      if (element.textContent !== decision.content.value) element.textContent = decision.content.value;
      element.dataset.attuneExperience = decision.experience ?? '';
      element.dataset.attuneVariant = decision.variant ?? '';
    } else {
      delete element.dataset.attuneExperience;
      delete element.dataset.attuneVariant;
      if (element.dataset.attuneShown !== 'default') element.replaceChildren(...(originals.get(element) ?? []).map((node) => node.cloneNode(true)));
    }
    element.dataset.attuneShown = decision.reason === 'matched' ? 'personalized' : 'default';
  }
}
