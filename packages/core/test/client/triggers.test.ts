import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

const MIN = 60_000;
const bundle = {
  schema: 'attune.bundle/1',
  id: 'journeys',
  version: 1,
  triggers: [
    { id: 'cart-abandoned', when: { event: 'add_to_cart', absent: 'purchase', within: '30m' }, actions: [{ track: 'cart_abandoned' }, { trait: 'cart_reminded', value: true }, { eligible: 'cart-reminder' }] },
  ],
  experiences: [
    {
      id: 'cart-reminder',
      slot: 'cart',
      variants: [
        { id: 'default', content: 'none' },
        { id: 'reminder', content: 'reminder' },
      ],
      default: 'default',
    },
  ],
  content: { none: { type: 'text', value: '' }, reminder: { type: 'text', value: 'Your cart is waiting' } },
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('journey triggers in the client', () => {
  it('fires when the visitor comes back after the window: records the event with the cart, sets the trait, shows the reminder; once', async () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const environment = { storage: memoryStorage(), now: () => now };
    const first = createAttune({ bundle, environment });
    await first.consent.grant();
    await first.ready;
    expect(first.decide('cart')).toMatchObject({ reason: 'not-in-audience' }); // eligible only once the trigger fired
    first.track('add_to_cart', { sku: 'JKT-1' });
    await settle();
    first.destroy();

    now += 31 * MIN;
    const back = createAttune({ bundle, environment });
    await back.ready;
    await vi.waitFor(() => expect(back.decide('cart')).toMatchObject({ reason: 'matched', content: { value: 'Your cart is waiting' } }));
    const profile = back.getSnapshot().profile;
    expect(profile.counters.cart_abandoned).toBe(1);
    expect(profile.traits.cart_reminded).toBe(true);
    await settle();
    back.destroy();

    now += 60 * MIN;
    const later = createAttune({ bundle, environment });
    await later.ready;
    await settle();
    expect(later.getSnapshot().profile.counters.cart_abandoned).toBe(1); // at most once (its cap)
    expect(later.decide('cart').reason).toBe('matched'); // still eligible
    later.destroy();
  });

  it('does not fire for a visitor who bought within the window, nor without personalization consent', async () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const environment = { storage: memoryStorage(), now: () => now };
    const client = createAttune({ bundle, environment });
    await client.consent.grant();
    await client.ready;
    client.track('add_to_cart', { sku: 'JKT-1' });
    now += 10 * MIN;
    client.track('purchase', { sku: 'JKT-1' });
    now += 60 * MIN;
    client.track('page_seen');
    await settle();
    expect(client.getSnapshot().profile.counters.cart_abandoned).toBeUndefined();
    client.destroy();

    const analyticsOnly = createAttune({ bundle, environment: { storage: memoryStorage(), now: () => now } });
    await analyticsOnly.consent.grant(['analytics']);
    analyticsOnly.track('add_to_cart');
    now += 60 * MIN;
    analyticsOnly.track('x');
    await settle();
    expect(analyticsOnly.decide('cart').reason).not.toBe('matched');
  });
});
