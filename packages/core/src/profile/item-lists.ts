/** Recently viewed and purchased items, for "recently viewed" slots and "don't recommend what they bought". */
import type { ProfileEventInput } from './profile-data.js';
import { DEFAULT_PURCHASE_RULE } from './purchases.js';
import { own } from './records.js';

/** Which events view or buy items, and where the item id is. */
export interface ItemRule {
  viewEvents: readonly string[];
  purchaseEvents: readonly string[];
  /** The first of these properties holding a non-empty string (at most 100 characters) or finite number is the id. */
  idProperties: readonly string[];
  /** Items kept per list: the least recently seen are dropped. */
  max: number;
}

/** `[id, lastMs, count]` entries, most recent first (ties by id, so the order never depends on arrival order). */
export type ItemList = [id: string, lastMs: number, count: number][];

/** product_view / product_viewed / Segment's "Product Viewed"; the purchase events; 50 items. */
export const DEFAULT_ITEM_RULE: ItemRule = {
  viewEvents: ['product_view', 'product_viewed', 'Product Viewed'],
  purchaseEvents: DEFAULT_PURCHASE_RULE.events,
  idProperties: ['product_id', 'sku', 'item_id', 'id'],
  max: 50,
};

const MAX_ID_LENGTH = 100;

function itemId(source: unknown, names: readonly string[]): string | undefined {
  if (source && typeof source === 'object') {
    for (const name of names) {
      const value = own(source as Record<string, unknown>, name);
      if (typeof value === 'string' ? value && value.length <= MAX_ID_LENGTH : Number.isFinite(value)) return String(value);
    }
  }
  return undefined;
}

/** True when entry x sorts before y: more recent first, then by id. */
const before = (x: ItemList[number], y: ItemList[number]): boolean => x[1] > y[1] || (x[1] === y[1] && x[0] < y[0]);

/**
 * Counts one sighting of `id` (mutates): moved to its place by time (the front for an in-order
 * event), then capped. Moved in place rather than spliced out and in (splice allocates).
 */
function touch(list: ItemList, id: string, t: number, max: number): void {
  let at = 0;
  while (at < list.length && list[at]![0] !== id) at++;
  let entry = list[at];
  if (entry) {
    if (t > entry[1]) entry[1] = t;
    entry[2]++;
  } else list.push((entry = [id, t, 1]));
  // Its place among the others: after every entry that sorts before it. It only moves forward
  // (its time can only grow), unless the list was not in order.
  let i = 0;
  while (i < at && before(list[i]!, entry)) i++;
  if (i < at) {
    list.copyWithin(i + 1, i, at);
    list[i] = entry;
  } else {
    let j = at;
    while (j + 1 < list.length && before(list[j + 1]!, entry)) j++;
    if (j > at) {
      list.copyWithin(at, at + 1, j + 1);
      list[j] = entry;
    }
  }
  if (list.length > max) list.length = Math.max(0, max);
}

/**
 * Records a viewed item for view events, purchased items for purchase events (mutates). A purchase
 * carrying a `products` array (Segment's "Order Completed" shape) counts each product in it;
 * otherwise the event's own id property.
 */
export function applyItems(viewed: ItemList, purchased: ItemList, event: ProfileEventInput, rule: ItemRule): void {
  const { properties, timestampMs, name } = event;
  const view = rule.viewEvents.includes(name) && itemId(properties, rule.idProperties);
  if (view) touch(viewed, view, timestampMs, rule.max);
  if (rule.purchaseEvents.includes(name)) {
    const products = own(properties, 'products');
    for (const source of Array.isArray(products) ? products : [properties]) {
      const id = itemId(source, rule.idProperties);
      if (id) touch(purchased, id, timestampMs, rule.max);
    }
  }
}

/** a + b as a new list (inputs unchanged): counts summed, latest time kept, capped at `max`. */
export function mergeItemLists(a: ItemList, b: ItemList, max: number): ItemList {
  const byId = new Map<string, ItemList[number]>();
  for (const [id, last, count] of [...a, ...b]) {
    const prev = byId.get(id);
    byId.set(id, prev ? [id, Math.max(prev[1], last), prev[2] + count] : [id, last, count]);
  }
  return [...byId.values()].sort((x, y) => (before(x, y) ? -1 : 1)).slice(0, Math.max(0, max));
}

/** The ids, most recent first. */
export function itemIds(list: ItemList): string[] {
  return list.map((e) => e[0]);
}
