import { expect, test } from '@playwright/test';
import { acceptOnShop, collected } from './helpers.js';

const titles = (page: import('@playwright/test').Page) => page.locator('#also-like li a').allTextContents();

test('"You may also like" starts with the popular items and follows what the visitor views; the ranking code loads only then', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
  await acceptOnShop(page);
  const list = page.locator('#also-like');
  await expect(list).toHaveAttribute('data-attune-status', 'ready');
  await expect(list).toHaveAttribute('data-attune-fallback', 'true');
  // Popularity from the demo's sessions (scripts/demo-learn.mjs): jacket 399, beanie 243, socks 241.
  await expect.poll(() => titles(page)).toEqual(['Trail jacket', 'Merino beanie', 'Wool hiking socks']);
  expect(loaded.filter((path) => path === '/tag/attune-recommend.min.js')).toHaveLength(1);

  await page.getByRole('button', { name: 'View product' }).first().click(); // the trail jacket
  await expect(list).toHaveAttribute('data-attune-fallback', 'false');
  // The jacket's neighbors (viewed in the same sessions), the poncho also in its category; the
  // jacket itself left out once viewed.
  await expect.poll(() => titles(page)).toEqual(['Rain poncho', 'Merino beanie', 'Wool hiking socks']);
  await expect(list.locator('li').first()).toHaveAttribute('data-attune-item', 'PON-4');
  await expect(list.locator('li a').first()).toHaveAttribute('href', '/shop/?product=PON-4');
  await expect(list.locator('li').first()).toBeVisible();
});

test('a click on a recommendation is recorded with the item, and the catalog text is never markup', async ({ page, request }) => {
  await request.delete('/events?from=now');
  await acceptOnShop(page);
  await expect.poll(() => titles(page)).toHaveLength(3);
  expect(await page.locator('#also-like li *:not(a):not(span)').count()).toBe(0);
  await page.locator('#also-like li').first().click({ position: { x: 1, y: 1 } });
  await expect.poll(async () => (await collected(request)).find((event) => event.name === 'recommendation_clicked')?.properties).toMatchObject({ item: 'JKT-1' });
});
