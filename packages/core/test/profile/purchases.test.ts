import { describe, expect, it } from 'vitest';
import { DEFAULT_PURCHASE_RULE, applyPurchase, emptyPurchases, mergePurchases, rfm, type Purchases } from '../../src/profile/purchases.js';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const event = (name: string, properties: Record<string, unknown>, timestampMs = T0): ProfileEventInput => ({ id: 'x', name, timestampMs, properties });

function purchasesOf(events: ProfileEventInput[]): Purchases {
  const p = emptyPurchases();
  for (const e of events) applyPurchase(p, e, DEFAULT_PURCHASE_RULE);
  return p;
}

describe('applyPurchase', () => {
  it('counts purchase events with their revenue and times', () => {
    const p = purchasesOf([event('purchase', { revenue: 19.99 }, T0 + DAY), event('order_completed', { revenue: 5 }, T0), event('Order Completed', { revenue: 10.01 }, T0 + 2 * DAY)]);
    expect(p).toEqual({ count: 3, revenue: 35, first: T0, last: T0 + 2 * DAY });
  });

  it('ignores other events', () => {
    expect(purchasesOf([event('product_viewed', { revenue: 10 })])).toEqual(emptyPurchases());
  });

  it('takes the first finite number among revenue, total and value', () => {
    const p = purchasesOf([event('purchase', { revenue: 'n/a', total: NaN, value: 7 }), event('purchase', { total: 3, value: 100 })]);
    expect(p.revenue).toBe(10);
  });

  it('accepts numeric strings', () => {
    expect(purchasesOf([event('purchase', { revenue: ' 12.50 ' })]).revenue).toBe(12.5);
  });

  it('counts a purchase without revenue as 0', () => {
    expect(purchasesOf([event('purchase', { revenue: '' }), event('purchase', {})])).toMatchObject({ count: 2, revenue: 0 });
  });

  it('keeps revenue to the cent', () => {
    const p = purchasesOf(Array.from({ length: 10 }, () => event('purchase', { revenue: 0.1 })));
    expect(p.revenue).toBe(1);
  });
});

describe('mergePurchases', () => {
  it('sums counts and revenue and keeps the earliest first and latest last', () => {
    const a = purchasesOf([event('purchase', { revenue: 0.1 }, T0 + DAY)]);
    const b = purchasesOf([event('purchase', { revenue: 0.2 }, T0), event('purchase', { revenue: 0 }, T0 + 3 * DAY)]);
    expect(mergePurchases(a, b)).toEqual({ count: 3, revenue: 0.3, first: T0, last: T0 + 3 * DAY });
  });

  it('treats no purchases as zero', () => {
    const a = purchasesOf([event('purchase', { revenue: 1 })]);
    expect(mergePurchases(a, emptyPurchases())).toEqual(a);
    expect(mergePurchases(emptyPurchases(), emptyPurchases())).toEqual(emptyPurchases());
  });

  it('returns a new object', () => {
    const a = emptyPurchases();
    expect(mergePurchases(a, emptyPurchases())).not.toBe(a);
  });
});

describe('rfm', () => {
  it('has no recency before the first purchase', () => {
    expect(rfm(emptyPurchases(), T0)).toEqual({ recencyDays: null, frequency: 0, monetary: 0 });
  });

  it('counts whole days since the last purchase, rounded down', () => {
    const p = purchasesOf([event('purchase', { revenue: 25.5 }, T0), event('purchase', { revenue: 4.5 }, T0 + DAY)]);
    expect(rfm(p, T0 + DAY + 2 * DAY - 1)).toEqual({ recencyDays: 1, frequency: 2, monetary: 30 });
    expect(rfm(p, T0 + 3 * DAY).recencyDays).toBe(2);
  });

  it('says 0 days for a purchase dated after now', () => {
    expect(rfm(purchasesOf([event('purchase', {}, T0 + DAY)]), T0).recencyDays).toBe(0);
  });

  it('rounds revenue to cents', () => {
    expect(rfm({ count: 1, revenue: 10.004999, first: T0, last: T0 }, T0).monetary).toBe(10);
  });
});
