import { describe, expect, it } from 'vitest';
import { DEFAULT_ITEM_RULE, applyItems, itemIds, mergeItemLists, type ItemList, type ItemRule } from '../../src/profile/item-lists.js';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';

const T0 = Date.UTC(2025, 0, 1);
const event = (name: string, properties: Record<string, unknown>, timestampMs = T0): ProfileEventInput => ({ id: 'x', name, timestampMs, properties });

function listsOf(events: ProfileEventInput[], rule: ItemRule = DEFAULT_ITEM_RULE): { viewed: ItemList; purchased: ItemList } {
  const viewed: ItemList = [];
  const purchased: ItemList = [];
  for (const e of events) applyItems(viewed, purchased, e, rule);
  return { viewed, purchased };
}

describe('applyItems', () => {
  it('records viewed items most recent first', () => {
    const { viewed, purchased } = listsOf([event('product_viewed', { product_id: 'a' }, T0), event('Product Viewed', { product_id: 'b' }, T0 + 1)]);
    expect(viewed).toEqual([['b', T0 + 1, 1], ['a', T0, 1]]);
    expect(purchased).toEqual([]);
  });

  it('takes the first usable id property, stringifying numbers', () => {
    const { viewed } = listsOf([
      event('product_view', { product_id: '', sku: 'S1', id: 'ignored' }, T0),
      event('product_view', { item_id: 7 }, T0 + 1),
      event('product_view', { product_id: NaN, id: 'x'.repeat(101) }, T0 + 2),
      event('product_view', { product_id: { nested: 1 } }, T0 + 3),
    ]);
    expect(itemIds(viewed)).toEqual(['7', 'S1']);
  });

  it('moves a re-seen item to the front and counts it', () => {
    const { viewed } = listsOf([event('product_view', { sku: 'a' }, T0), event('product_view', { sku: 'b' }, T0 + 1), event('product_view', { sku: 'a' }, T0 + 2)]);
    expect(viewed).toEqual([['a', T0 + 2, 2], ['b', T0 + 1, 1]]);
  });

  it('places an out-of-order sighting by its time', () => {
    const { viewed } = listsOf([event('product_view', { sku: 'a' }, T0 + 10), event('product_view', { sku: 'b' }, T0 + 20), event('product_view', { sku: 'c' }, T0 + 15), event('product_view', { sku: 'b' }, T0)]);
    expect(viewed).toEqual([['b', T0 + 20, 2], ['c', T0 + 15, 1], ['a', T0 + 10, 1]]);
  });

  it('keeps at most max items, dropping the least recent', () => {
    const rule = { ...DEFAULT_ITEM_RULE, max: 2 };
    const { viewed } = listsOf(['a', 'b', 'c'].map((sku, i) => event('product_view', { sku }, T0 + i)), rule);
    expect(itemIds(viewed)).toEqual(['c', 'b']);
    applyItems(viewed, [], event('product_view', { sku: 'old' }, T0 - 1), rule);
    expect(itemIds(viewed)).toEqual(['c', 'b']);
  });

  it('records a purchase event by its own id property', () => {
    const { purchased, viewed } = listsOf([event('purchase', { product_id: 'p1' })]);
    expect(purchased).toEqual([['p1', T0, 1]]);
    expect(viewed).toEqual([]);
  });

  it('counts each product of an "Order Completed" products array', () => {
    const { purchased } = listsOf([
      event('Order Completed', { order_id: 'o1', products: [{ product_id: 'a' }, { sku: 'b' }, { name: 'no id' }, null, 'a', { product_id: 'a' }] }),
    ]);
    expect(purchased).toEqual([['a', T0, 2], ['b', T0, 1]]);
  });

  it('orders items seen at the same time by id, whatever order they come in', () => {
    const { viewed } = listsOf(['c', 'a', 'e', 'b', 'd', 'a'].map((sku) => event('product_view', { sku }, T0)));
    expect(viewed).toEqual([['a', T0, 2], ['b', T0, 1], ['c', T0, 1], ['d', T0, 1], ['e', T0, 1]]);
  });

  it('keeps apart two ids with the same index hash (sku179599 and sku362382)', () => {
    const { viewed } = listsOf(['sku179599', 'sku362382', 'sku179599', 'sku362382', 'sku362382'].map((sku, i) => event('product_view', { sku }, T0 + i)));
    expect(viewed).toEqual([['sku362382', T0 + 4, 3], ['sku179599', T0 + 2, 2]]);
    const capped = listsOf(['sku179599', 'sku362382', 'sku179599'].map((sku, i) => event('product_view', { sku }, T0 + i)), { ...DEFAULT_ITEM_RULE, max: 1 }).viewed;
    expect(capped).toEqual([['sku179599', T0 + 2, 1]]);
  });

  it('finds the items of a list loaded from storage or grown elsewhere', () => {
    const { viewed } = listsOf([event('product_view', { sku: 'a' }, T0), event('product_view', { sku: 'b' }, T0 + 1)]);
    const loaded = structuredClone(viewed);
    applyItems(loaded, [], event('product_view', { sku: 'a' }, T0 + 2), DEFAULT_ITEM_RULE);
    expect(loaded).toEqual([['a', T0 + 2, 2], ['b', T0 + 1, 1]]);
    loaded.push(['d', T0 - 1, 1]);
    applyItems(loaded, [], event('product_view', { sku: 'd' }, T0 + 3), DEFAULT_ITEM_RULE);
    expect(loaded).toEqual([['d', T0 + 3, 2], ['a', T0 + 2, 2], ['b', T0 + 1, 1]]);
  });

  it('ignores other events', () => {
    expect(listsOf([event('page', { product_id: 'a' })])).toEqual({ viewed: [], purchased: [] });
  });
});

describe('mergeItemLists', () => {
  it('sums counts, keeps the latest time and orders most recent first', () => {
    const a: ItemList = [['x', T0 + 5, 2], ['y', T0, 1]];
    const b: ItemList = [['y', T0 + 9, 1], ['z', T0 + 5, 4]];
    expect(mergeItemLists(a, b, 10)).toEqual([['y', T0 + 9, 2], ['x', T0 + 5, 2], ['z', T0 + 5, 4]]);
  });

  it('caps the result at max', () => {
    expect(itemIds(mergeItemLists([['a', 3, 1], ['b', 1, 1]], [['c', 2, 1]], 2))).toEqual(['a', 'c']);
  });

  it('leaves its inputs unchanged and shares no entry with them', () => {
    const a: ItemList = [['x', T0, 1]];
    const merged = mergeItemLists(a, [], 5);
    merged[0]![2] = 9;
    expect(a).toEqual([['x', T0, 1]]);
  });

  it('equals applying both event streams to one list', () => {
    const events = ['a', 'b', 'a', 'c', 'b', 'd', 'a'].map((sku, i) => event('product_view', { sku }, T0 + i * 1000));
    const one = listsOf(events).viewed;
    const a = listsOf(events.filter((_, i) => i % 2 === 0)).viewed;
    const b = listsOf(events.filter((_, i) => i % 2 === 1)).viewed;
    expect(mergeItemLists(a, b, DEFAULT_ITEM_RULE.max)).toEqual(one);
  });
});

describe('itemIds', () => {
  it('lists the ids in order', () => {
    expect(itemIds([['b', 2, 1], ['a', 1, 3]])).toEqual(['b', 'a']);
  });
});
