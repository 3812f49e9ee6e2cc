import { expect, test } from '@playwright/test';
import { collected, databaseNames, queuedEventCount, setCollector, tagReady } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('a visitor who has not consented sends nothing and stores nothing', async ({ page, request }) => {
  const collectorRequests: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/collect') collectorRequests.push(req.url());
  });
  await page.goto('/shop/');
  await tagReady(page);
  await expect(page.locator('#consent-banner')).toBeVisible();
  await page.getByRole('button', { name: 'View product' }).first().click();
  await page.getByRole('button', { name: 'View product' }).nth(1).click();
  // Longer than the flush interval (1 s): anything queued would have been sent by now.
  await page.waitForTimeout(2500);

  expect(collectorRequests).toEqual([]);
  expect(await collected(request)).toEqual([]);
  expect(await databaseNames(page)).not.toContain('attune');
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  expect(await page.evaluate(() => document.cookie)).toBe('');
});

test('after consent a tracked event reaches the collector exactly once', async ({ page, request }) => {
  await page.goto('/shop/');
  await tagReady(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('#consent-banner')).toBeHidden();
  await page.getByRole('button', { name: 'View product' }).first().click();

  await expect.poll(async () => (await collected(request)).filter((e) => e.name === 'product_viewed').length).toBe(1);
  const [event] = (await collected(request)).filter((e) => e.name === 'product_viewed');
  expect(event?.properties).toEqual({ sku: 'JKT-1', category: 'outerwear' });
  expect(event?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(event?.anonymousId).toBeTruthy();

  // A reload flushes whatever is left over; the event must not be sent a second time.
  await page.reload();
  await tagReady(page);
  await expect.poll(() => queuedEventCount(page)).toBe(0);
  await page.waitForTimeout(1500);
  expect((await collected(request)).filter((e) => e.id === event?.id)).toHaveLength(1);
});

test('with the collector down, events survive a reload and arrive once it is back', async ({ page, request }) => {
  await setCollector(request, 'down');
  await page.goto('/shop/');
  await tagReady(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('button', { name: 'View product' }).nth(2).click();
  await expect.poll(() => queuedEventCount(page)).toBeGreaterThan(0);
  await page.waitForTimeout(1500);
  expect(await collected(request)).toEqual([]);

  await page.reload();
  await tagReady(page);
  expect(await queuedEventCount(page)).toBeGreaterThan(0);

  await setCollector(request, 'up');
  // The retry timer (or the next page view) sends the queue once the collector is back.
  await page.reload();
  await expect.poll(async () => (await collected(request)).filter((e) => e.name === 'product_viewed').length, { timeout: 15_000 }).toBe(1);
  const viewed = (await collected(request)).find((e) => e.name === 'product_viewed');
  expect(viewed?.properties).toMatchObject({ sku: 'BOT-3' });
  await expect.poll(() => queuedEventCount(page)).toBe(0);
});

test('declining erases everything: no database and no stored consent remain', async ({ page }) => {
  await page.goto('/shop/');
  await tagReady(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('button', { name: 'View product' }).first().click();
  await expect.poll(() => databaseNames(page)).toContain('attune');

  await page.getByRole('button', { name: 'Withdraw consent and erase my data' }).click();
  await expect.poll(() => databaseNames(page)).not.toContain('attune');
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await expect(page.locator('#views')).toHaveText('0');
});
