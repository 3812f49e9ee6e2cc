import type { AttuneClient, Decision } from '@attune/core';

/** The page's own markup of each slot, kept so a default decision can put it back. */
const originals = new WeakMap<Element, Node[]>();

const setText = (element: Element, value: string): void => {
  if (element.textContent !== value) element.textContent = value;
};

/**
 * Writes a personalized decision into its slot, as text (never markup). A multivariate decision
 * fills the slot's `[data-attune-part="factorId"]` elements with each factor's content (or, without
 * such elements, the slot with the first factor's). False when there is no text to show.
 */
function fill(element: HTMLElement, decision: Decision): boolean {
  const parts = decision.parts;
  const partElements = parts ? element.querySelectorAll<HTMLElement>('[data-attune-part]') : [];
  if (parts && partElements.length > 0) {
    let filled = false;
    for (const part of Array.from(partElements)) {
      const content = parts[part.dataset.attunePart ?? ''];
      if (content?.type === 'text') {
        setText(part, content.value);
        filled = true;
      }
    }
    return filled;
  }
  if (decision.content?.type !== 'text') return false;
  setText(element, decision.content.value);
  return true;
}

/**
 * Fills every `[data-attune-slot]` element with its decided content. A default decision restores
 * the element's own markup. The reason is exposed as `data-attune-reason` so the page (and QA) can
 * see why. What is rendered is reported as shown (`client.shown`): impressions for frequency caps
 * and experiment exposures (the holdout's default included).
 */
export function renderSlots(client: AttuneClient, root: ParentNode = document): void {
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('[data-attune-slot]'))) {
    const slot = element.dataset.attuneSlot;
    if (!slot) continue;
    if (!originals.has(element)) originals.set(element, Array.from(element.childNodes, (node) => node.cloneNode(true)));
    const decision = client.decide(slot);
    element.dataset.attuneReason = decision.reason;
    const personalized = (decision.reason === 'matched' || decision.reason === 'forced') && fill(element, decision);
    if (personalized) {
      element.dataset.attuneExperience = decision.experience ?? '';
      element.dataset.attuneVariant = decision.variant ?? '';
    } else {
      delete element.dataset.attuneExperience;
      delete element.dataset.attuneVariant;
      if (element.dataset.attuneShown !== 'default') element.replaceChildren(...(originals.get(element) ?? []).map((node) => node.cloneNode(true)));
    }
    element.dataset.attuneShown = personalized ? 'personalized' : 'default';
    if (personalized || decision.reason === 'holdout') client.shown(decision);
  }
}
