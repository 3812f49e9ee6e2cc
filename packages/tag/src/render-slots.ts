import { decisionPending, type AttuneClient, type Decision } from '@attune/core';

/** The page's own markup of each slot, kept so a default decision can put it back. */
const originals = new WeakMap<Element, Node[]>();
/** Slots hidden while their decision is pending, with the inline visibility they had. */
const hidden = new WeakMap<HTMLElement, string>();
/** Slots that showed their default at the timeout, with the page view they keep it for (no late swap). */
const kept = new WeakMap<Element, number>();
/** What each slot shows (see `shownKey`): a decision that did not change is not written again. */
const rendered = new WeakMap<Element, string>();

/**
 * What a rendered decision depends on, in its page view. Every event notifies the page, and
 * rewriting unchanged slots (their attributes, the default's markup) made each one pay for style
 * and layout work it did not need.
 */
const shownKey = (decision: Decision, pageView: number): string =>
  JSON.stringify([pageView, decision.reason, decision.experience, decision.variant, decision.content ?? null, decision.parts ?? null]);

const setText = (element: Element, value: string): void => {
  if (element.textContent !== value) element.textContent = value;
};
/** Sets a data attribute (removes it for undefined) only if it differs: an equal write still invalidates style. */
const setData = (element: HTMLElement, name: string, value: string | undefined): void => {
  if (element.dataset[name] === value) return;
  if (value === undefined) delete element.dataset[name];
  else element.dataset[name] = value;
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

/** Whether the parser is done with `element` (it has left it: something follows it or an ancestor). */
function parsed(element: Node): boolean {
  for (let node: Node | null = element; node; node = node.parentNode) if (node.nextSibling) return true;
  return document.readyState !== 'loading';
}

/** Shows a slot hidden while pending. Style set from script (CSSOM): strict CSP allows it. */
function reveal(element: HTMLElement): void {
  if (!hidden.has(element)) return;
  element.style.visibility = hidden.get(element)!;
  hidden.delete(element);
  delete element.dataset.attunePending;
}

/** Fills a parsed slot with its decided content, or its own markup for a default decision. */
function render(client: AttuneClient, element: HTMLElement, slot: string, pageView: number): void {
  if (!originals.has(element)) originals.set(element, Array.from(element.childNodes, (node) => node.cloneNode(true)));
  const decision = client.decide(slot);
  const key = shownKey(decision, pageView);
  if (rendered.get(element) === key) return; // Shown, and its impression and exposure counted, already.
  rendered.set(element, key);
  setData(element, 'attuneReason', decision.reason);
  const personalized = (decision.reason === 'matched' || decision.reason === 'forced') && fill(element, decision);
  setData(element, 'attuneExperience', personalized ? (decision.experience ?? '') : undefined);
  setData(element, 'attuneVariant', personalized ? (decision.variant ?? '') : undefined);
  if (!personalized && element.dataset.attuneShown !== 'default') element.replaceChildren(...(originals.get(element) ?? []).map((node) => node.cloneNode(true)));
  setData(element, 'attuneShown', personalized ? 'personalized' : 'default');
  if (personalized || decision.reason === 'holdout') client.shown(decision);
}

/** How a page view's slots are rendered: whether they may be hidden, and whether the timeout passed. */
export interface SlotState {
  /** Personalization was granted when the tag started: a slot whose decision is pending is hidden. */
  hides: boolean;
  /** pendingTimeoutMs passed: a slot still pending shows its default and keeps it. */
  timedOut: boolean;
}

/**
 * Renders every `[data-attune-slot]` element, each as soon as it is parsed. While the client is
 * not ready (see decisionPending) and the visitor had granted personalization, a slot is hidden
 * (visibility, plus `data-attune-pending`) rather than showing its default first; after the
 * timeout it shows its default for the rest of the page view (`data-attune-reason="timeout"`; the
 * next page view of a single-page app decides it again).
 * A decided slot gets its content as text, or its own markup back for a default decision; the
 * reason is exposed as `data-attune-reason` so the page (and QA) can see why. What is rendered is
 * reported as shown (`client.shown`): impressions for frequency caps and experiment exposures
 * (the holdout's default included). Returns whether a slot is still pending.
 */
export function renderSlots(client: AttuneClient, state: SlotState): boolean {
  const snapshot = client.getSnapshot();
  const pending = decisionPending(snapshot);
  let waiting = false;
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-attune-slot]'))) {
    const slot = element.dataset.attuneSlot;
    // A new page view (an SPA navigation) decides a slot kept at the timeout afresh.
    if (!slot || kept.get(element) === snapshot.pageView) continue;
    if (pending && state.timedOut && state.hides) {
      kept.set(element, snapshot.pageView);
      element.dataset.attuneReason = 'timeout';
      element.dataset.attuneShown = 'default';
      reveal(element);
    } else if (state.hides && (pending || !parsed(element))) {
      if (!hidden.has(element)) {
        hidden.set(element, element.style.visibility);
        element.style.visibility = 'hidden';
        element.dataset.attunePending = '';
      }
      waiting = true;
    } else if (parsed(element)) {
      render(client, element, slot, snapshot.pageView);
      reveal(element);
    }
  }
  return waiting;
}
