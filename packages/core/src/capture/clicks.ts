import { dict } from '../profile/records.js';
import type { CaptureTarget } from './capture-target.js';

const PREFIX = 'data-attune-';
const TRACK_ATTRIBUTE = 'data-attune-track';
/** Attributes the tag writes for delivery (slot rendering), not properties the site chose. */
const DELIVERY_ATTRIBUTES = new Set(['track', 'slot', 'reason', 'experience', 'variant', 'shown', 'ignore']);

function warn(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`[attune] auto-capture: click tracking failed (the page is unaffected): ${message}`);
}

/** `product-id` → `productId` (the same rule as `dataset`). */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The element a click started from; a text node (possible for synthetic events) counts as its parent. */
function startElement(target: EventTarget | null): Element | null {
  if (!target) return null;
  if (typeof (target as Element).closest === 'function') return target as Element;
  return (target as Node).parentElement ?? null;
}

/**
 * The element's `data-attune-*` attributes as event properties: prefix removed, camelCased,
 * values as strings. `data-attune-track` (the event name) and the attributes the tag writes
 * when it renders a slot (`slot`, `reason`, `experience`, `variant`, `shown`) are left out.
 */
export function readClickProperties(element: Element): Record<string, string> {
  // A dict: an attribute data-attune-__proto__ is a property like any other.
  const properties = dict<string>();
  for (const { name, value } of Array.from(element.attributes)) {
    if (!name.startsWith(PREFIX)) continue;
    const key = name.slice(PREFIX.length);
    if (key === '' || DELIVERY_ATTRIBUTES.has(key) || key.startsWith('slot')) continue;
    properties[camelCase(key)] = value;
  }
  return properties;
}

/**
 * Tracks clicks on elements marked `data-attune-track="event_name"` (or inside one), with the
 * element's other `data-attune-*` attributes as properties:
 * `<button data-attune-track="add_to_cart" data-attune-product-id="A1">` →
 * `track('add_to_cart', { productId: 'A1' })`.
 *
 * One delegated listener on `document` in the capture phase, so elements added later are covered
 * and a host handler calling `stopPropagation()` does not hide the click. Returns a stop function.
 * Does nothing outside a browser.
 */
export function captureClicks(target: CaptureTarget): () => void {
  if (typeof document === 'undefined' || typeof document.addEventListener !== 'function') return () => {};
  const onClick = (event: Event): void => {
    try {
      const marked = startElement(event.target)?.closest(`[${TRACK_ATTRIBUTE}]`);
      if (!marked) return;
      const name = (marked.getAttribute(TRACK_ATTRIBUTE) ?? '').trim();
      if (name === '') return;
      target.track(name, readClickProperties(marked));
    } catch (error) {
      warn(error);
    }
  };
  document.addEventListener('click', onClick, true);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    document.removeEventListener('click', onClick, true);
  };
}
