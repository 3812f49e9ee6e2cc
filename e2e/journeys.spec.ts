import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { acceptOnShop, collected, tagReady } from './helpers.js';

const REMINDER = 'Welcome back: your cart is waiting for you.';

const flush = (page: Page) => page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());
const abandoned = async (request: APIRequestContext) => (await collected(request, false)).filter((event) => event.name === 'cart_abandoned');

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('a visitor who adds to cart, leaves and comes back 31 minutes later sees the cart reminder; cart_abandoned reaches the collector once', async ({ page, request }) => {
  await page.clock.install({ time: new Date('2026-12-07T10:00:00Z') });
  await acceptOnShop(page);
  await expect(page.locator('#reminder')).toHaveAttribute('data-attune-reason', 'not-in-audience');
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await page.clock.runFor(2_000); // the event is written and sent
  await flush(page);
  await expect.poll(async () => (await collected(request, false)).filter((event) => event.name === 'add_to_cart')).toHaveLength(1);

  await page.goto('about:blank'); // leaves
  await page.clock.fastForward('31:00');
  await page.goto('/shop/');
  await tagReady(page);
  await expect(page.locator('#reminder')).toHaveText(REMINDER);
  await page.clock.runFor(2_000);
  await flush(page);
  await expect.poll(async () => (await abandoned(request)).length).toBe(1);
  expect((await abandoned(request))[0]!.properties).toMatchObject({ trigger: 'cart-abandoned', items: [{ sku: 'JKT-1' }] });

  // Comes back again: the reminder stays (eligible), the event is not sent twice.
  await page.reload();
  await tagReady(page);
  await expect(page.locator('#reminder')).toHaveText(REMINDER);
  await page.clock.runFor(2_000);
  await flush(page);
  expect(await abandoned(request)).toHaveLength(1);
});

test('with the page left open, the trigger fires when the 30 minutes have passed', async ({ page, request }) => {
  await page.clock.install({ time: new Date('2026-12-07T10:00:00Z') });
  await acceptOnShop(page);
  await page.getByRole('button', { name: 'Add to cart' }).nth(1).click();
  await page.clock.runFor('29:00');
  await expect(page.locator('#reminder')).toHaveAttribute('data-attune-reason', 'not-in-audience');
  await page.clock.runFor('01:05');
  await expect(page.locator('#reminder')).toHaveText(REMINDER);
  await page.clock.runFor(2_000); // the SDK's timers run on the page's clock: the event is written and sent
  await flush(page);
  await expect.poll(async () => (await abandoned(request)).map((event) => event.properties.items)).toEqual([[{ sku: 'HAT-2' }]]);
});

test('the offer targeted by the buy-propensity score shows once the visitor has browsed and added to cart', async ({ page }) => {
  await acceptOnShop(page);
  const offer = page.locator('#offer');
  await expect(offer).toHaveAttribute('data-attune-reason', 'not-in-audience');
  // sigmoid(-3 + 0.6 × views + 1.2 × carts) ≥ 0.5 from 3 views and a cart on.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'View product' }).nth(i).click();
  await expect(offer).toHaveAttribute('data-attune-reason', 'not-in-audience');
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await expect(offer).toHaveText('Ready to buy? 10% off today with code READY10.');
});
