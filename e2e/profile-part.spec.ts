import { expect, test, type Page } from '@playwright/test';
import { acceptOnShop, attune, collected, tagReady } from './helpers.js';

// How events update the profile is not in attune.min.js: the tag loads attune-profile.min.js from
// beside itself as storage opens after a grant (beside IndexedDB's open), never before consent.

const PROFILE_FILE = '/tag/attune-profile.min.js';

const count = (page: Page, name: string): Promise<number> =>
  page.evaluate((name) => (window as unknown as { attune: { client: { count(n: string): number } } }).attune.client.count(name), name);

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('the profile file loads once the visitor accepts (never before), and events count at once from then on', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
  await page.goto('/shop/');
  await tagReady(page);
  await page.waitForTimeout(200);
  expect(loaded).toContain('/tag/attune.min.js');
  expect(loaded).not.toContain(PROFILE_FILE);

  await page.getByRole('button', { name: 'Accept' }).click();
  // The grant resolves once storage is open: the profile code is there by then.
  await page.evaluate(() => (window as unknown as { attune: { client: { consent: { grant(): Promise<void> } } } }).attune.client.consent.grant());
  await attune(page, 'track', 'wishlist_add');
  expect(await count(page, 'wishlist_add')).toBe(1);
  expect(loaded.filter((path) => path === PROFILE_FILE)).toHaveLength(1);

  // The next page (a returning visitor) asks for it from the start, and keeps the count.
  loaded.length = 0;
  await page.reload();
  await tagReady(page);
  await page.evaluate(() => (window as unknown as { attune: { client: { ready: Promise<void> } } }).attune.client.ready);
  expect(await count(page, 'wishlist_add')).toBe(1);
  expect(loaded.filter((path) => path === PROFILE_FILE)).toHaveLength(1);
});

test('when the profile file cannot load: slots still fill, one warning naming it, events are still sent', async ({ page, request }) => {
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`**${PROFILE_FILE}`, (route) => route.abort());
  await acceptOnShop(page);

  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', /.+/);
  expect(await page.locator('#hero').getAttribute('data-attune-reason')).not.toBe('timeout');
  await attune(page, 'track', 'wishlist_add');
  expect(await count(page, 'wishlist_add')).toBe(0);
  await page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());
  await expect.poll(async () => (await collected(request, false)).filter((event) => event.name === 'wishlist_add').length).toBe(1);
  await expect.poll(() => warnings.filter((warning) => warning.includes('attune-profile.min.js')).length).toBe(1);
  expect(errors).toEqual([]);
});
