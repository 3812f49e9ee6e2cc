/** Purchase totals for recency / frequency / monetary (RFM) rules. */
import type { ProfileEventInput } from './event-input.js';
import { own } from './records.js';

/** Which events are purchases and where their revenue is. */
export interface PurchaseRule {
  events: readonly string[];
  /** The first of these properties holding a finite number (or numeric string) is the revenue. */
  revenueProperties: readonly string[];
}

/** Lifetime purchase count and revenue (rounded to cents), first and last purchase times (epoch ms). */
export interface Purchases {
  count: number;
  revenue: number;
  first: number | null;
  last: number | null;
}

/** purchase / order_completed / Segment's "Order Completed"; revenue from revenue, total or value. */
export const DEFAULT_PURCHASE_RULE: PurchaseRule = {
  events: ['purchase', 'order_completed', 'Order Completed'],
  revenueProperties: ['revenue', 'total', 'value'],
};

/**
 * Each revenue is rounded to cents before it is added, and every sum again: sums of whole cents
 * are exact, so any order of adding and merging gives the same number (rounding only the sums
 * made 0.005 + 0.005 + 3 either 3.01 or 3.02).
 */
const cents = (x: number): number => Math.round(x * 100) / 100;

/** No purchases yet. */
export function emptyPurchases(): Purchases {
  return { count: 0, revenue: 0, first: null, last: null };
}

function revenueOf(properties: Readonly<Record<string, unknown>>, names: readonly string[]): number {
  for (const name of names) {
    const value = own(properties, name);
    const x = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
    if (Number.isFinite(x)) return x;
  }
  return 0;
}

/** Counts the event when it is a purchase (mutates); a purchase without revenue adds 0. */
export function applyPurchase(p: Purchases, event: ProfileEventInput, rule: PurchaseRule): void {
  if (!rule.events.includes(event.name)) return;
  const t = event.timestampMs;
  p.count++;
  p.revenue = cents(p.revenue + cents(revenueOf(event.properties, rule.revenueProperties)));
  p.first = Math.min(p.first ?? t, t);
  p.last = Math.max(p.last ?? t, t);
}

/** a + b as a new object. */
export function mergePurchases(a: Purchases, b: Purchases): Purchases {
  const first = Math.min(a.first ?? Infinity, b.first ?? Infinity);
  const last = Math.max(a.last ?? -Infinity, b.last ?? -Infinity);
  return { count: a.count + b.count, revenue: cents(a.revenue + b.revenue), first: first < Infinity ? first : null, last: last > -Infinity ? last : null };
}

/**
 * Recency (whole days since the last purchase, rounded down; 0 for a purchase dated after `nowMs`,
 * null without purchases), frequency (purchase count) and monetary value (revenue in cents precision).
 */
export function rfm(p: Purchases, nowMs: number): { recencyDays: number | null; frequency: number; monetary: number } {
  return {
    recencyDays: p.last === null ? null : Math.max(0, Math.floor((nowMs - p.last) / 86_400_000)),
    frequency: p.count,
    monetary: cents(p.revenue),
  };
}
