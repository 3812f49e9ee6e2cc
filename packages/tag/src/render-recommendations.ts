import type { AttuneClient, RecommendationList } from '@attune/core';
import { positiveNumber } from './options-from-script.js';

/** Each list's item template: its first `[data-attune-item]` child, taken out of the page once a list is ready. */
const templates = new WeakMap<Element, HTMLElement | null>();
/** The page's own markup of each list, put back while no list is ready (or the list is empty). */
const originals = new WeakMap<Element, Node[]>();
/** The list each element shows: its status, whether it is the fallback, and its items (catalog objects, the same while the bundle is). */
const shown = new WeakMap<Element, readonly unknown[]>();

/**
 * What a rendered list depends on. A new profile gives a new list object after every event, most
 * often with the same items in the same order: rebuilding its markup then would be wasted work.
 */
const shownKey = (list: RecommendationList): readonly unknown[] => [list.status, list.fallback, ...list.items.map((recommendation) => recommendation.item)];
const sameKey = (a: readonly unknown[] | undefined, b: readonly unknown[]): boolean => !!a && a.length === b.length && a.every((value, i) => value === b[i]);

const setText = (element: Element, value: string): void => {
  if (element.textContent !== value) element.textContent = value;
};

/** A URL for href/src from the catalog: http(s) or relative only (never javascript: or data:). */
function safeUrl(value: string): string | undefined {
  try {
    return /^https?:$/.test(new URL(value, document.baseURI).protocol) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Fills one clone of the template with a recommended item, as text: `data-attune-field`, `data-attune-href`, `data-attune-src`. */
function fillItem(node: HTMLElement, item: RecommendationList['items'][number]['item']): HTMLElement {
  node.dataset.attuneItem = item.id; // Clicks marked data-attune-track carry it as the `item` property.
  node.hidden = false; // The template may be hidden in the page's markup; its items are shown.
  const value = (field: string | undefined): string | undefined =>
    field === 'id' ? item.id : field === 'category' ? item.category : field === 'price' ? (item.price === undefined ? undefined : String(item.price)) : field ? item.content?.[field] : undefined;
  for (const element of [node, ...Array.from(node.querySelectorAll<HTMLElement>('[data-attune-field],[data-attune-href],[data-attune-src]'))]) {
    const text = value(element.dataset.attuneField);
    if (text !== undefined) setText(element, text);
    const href = value(element.dataset.attuneHref);
    if (href !== undefined && safeUrl(href)) element.setAttribute('href', href);
    const src = value(element.dataset.attuneSrc);
    if (src !== undefined && safeUrl(src)) element.setAttribute('src', src);
  }
  return node;
}

/**
 * Renders every `[data-attune-recommend="recommenderId"]` element once the page is parsed: a ready
 * list replaces its children with one clone of its `[data-attune-item]` template per item (at most
 * `data-attune-limit`, without the ids of `data-attune-exclude`), filled as text. The element
 * carries `data-attune-status` (loading, ready, unavailable) and `data-attune-fallback` (the popular
 * list); while no list is ready, or it is empty, it keeps the page's own markup.
 */
export function renderRecommendations(client: AttuneClient): void {
  if (document.readyState === 'loading') return;
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-attune-recommend]'))) {
    const exclude = element.dataset.attuneExclude?.split(/[\s,]+/).filter(Boolean);
    const list = client.recommend(element.dataset.attuneRecommend ?? '', { limit: positiveNumber(element.dataset.attuneLimit), exclude });
    const key = shownKey(list);
    if (sameKey(shown.get(element), key)) continue;
    shown.set(element, key);
    element.dataset.attuneStatus = list.status;
    element.dataset.attuneFallback = String(list.fallback);
    if (!originals.has(element)) originals.set(element, Array.from(element.childNodes, (node) => node.cloneNode(true)));
    if (!templates.has(element)) templates.set(element, element.querySelector<HTMLElement>(':scope > [data-attune-item]'));
    const template = templates.get(element);
    if (list.status === 'ready' && list.items.length > 0 && template) {
      element.replaceChildren(...list.items.map((recommendation) => fillItem(template.cloneNode(true) as HTMLElement, recommendation.item)));
    } else {
      if (list.status === 'ready' && !template) console.warn(`[attune] data-attune-recommend="${element.dataset.attuneRecommend}" has no [data-attune-item] child to repeat.`);
      element.replaceChildren(...originals.get(element)!.map((node) => node.cloneNode(true)));
    }
  }
}
