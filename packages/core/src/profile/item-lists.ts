/** Recently viewed and purchased items, for "recently viewed" slots and "don't recommend what they bought". */
import type { ProfileEventInput } from './event-input.js';
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

type Entry = ItemList[number];

/**
 * FNV-1a of the id's UTF-16 code units, cut to 30 bits (a small-integer key). Looking a fresh id
 * string up in a Map would make the engine hash it, which costs more than this whole update in
 * Chromium; this costs a few nanoseconds per character.
 */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

/**
 * Entries by the hash of their id, for one list, kept outside the stored data (a structured
 * clone or a merge makes a new array, which gets its own): `null` where several ids share a hash
 * (then the list is scanned). Rebuilt when `length` disagrees with the list's, i.e. the list was
 * changed by something other than `touch` (lists change only here: loads and merges make new arrays).
 */
interface ItemIndex {
  byHash: Map<number, Entry | null>;
  length: number;
}

const indexes = new WeakMap<ItemList, ItemIndex>();

function indexOf(list: ItemList): ItemIndex {
  let index = indexes.get(list);
  if (!index || index.length !== list.length) {
    const byHash = new Map<number, Entry | null>();
    for (const entry of list) {
      const hash = hashOf(entry[0]);
      byHash.set(hash, byHash.has(hash) ? null : entry);
    }
    indexes.set(list, (index = { byHash, length: list.length }));
  }
  return index;
}

/**
 * Counts one sighting of `id` (mutates): moved to its place by time (the front for an in-order
 * event), then capped. Found through the index, placed by binary search (bursts give many entries
 * the same time, ordered by id), moved in place rather than spliced out and in.
 */
function touch(list: ItemList, id: string, t: number, max: number): void {
  const index = indexOf(list);
  const hash = hashOf(id);
  const slot = index.byHash.get(hash);
  let entry = slot === null ? list.find((e) => e[0] === id) : slot !== undefined && slot[0] === id ? slot : undefined;
  let at: number;
  if (entry) {
    at = list.indexOf(entry);
    if (at < 0) {
      // The list was changed elsewhere and kept its length: index it again.
      indexes.delete(list);
      return touch(list, id, t, max);
    }
    if (t > entry[1]) entry[1] = t;
    entry[2]++;
  } else {
    at = list.length;
    list.push((entry = [id, t, 1]));
    index.byHash.set(hash, slot === undefined ? entry : null);
  }
  // Its place: after every entry that sorts before it. The entries before it are in order, and
  // it only moves forward (its time can only grow).
  let lo = 0;
  let hi = at;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid]!, entry)) lo = mid + 1;
    else hi = mid;
  }
  // Shifted by hand: copyWithin is a slow generic loop in some engines (5 µs for 50 entries in Node 20).
  if (lo < at) {
    for (let k = at; k > lo; k--) list[k] = list[k - 1]!;
    list[lo] = entry;
  } else {
    // A list not in order (never written by touch): move it back past what sorts before it.
    let j = at;
    while (j + 1 < list.length && before(list[j + 1]!, entry)) j++;
    if (j > at) {
      for (let k = at; k < j; k++) list[k] = list[k + 1]!;
      list[j] = entry;
    }
  }
  if (list.length > max) {
    const keep = Math.max(0, max);
    for (let k = keep; k < list.length; k++) {
      const dropped = hashOf(list[k]![0]);
      if (index.byHash.get(dropped) === list[k]) index.byHash.delete(dropped);
    }
    list.length = keep;
  }
  index.length = list.length;
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
