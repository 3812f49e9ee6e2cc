import { expect, test } from '@playwright/test';
import { acceptOnShop, collected, databaseNames, tagReady, viewProducts } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

type Snapshot = { consent: Record<string, string>; profile: { counters: Record<string, number> } };
const snapshot = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { attune: { client: { getSnapshot(): Snapshot } } }).attune.client.getSnapshot());

test('with Global Privacy Control, accepting keeps analytics off: nothing is sent, the profile still personalizes', async ({ page, request }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const sent: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/collect') sent.push(req.url());
  });
  await acceptOnShop(page);
  await viewProducts(page, 3);
  await page.waitForTimeout(1500);

  expect((await snapshot(page)).consent).toEqual({ analytics: 'denied', personalization: 'granted' });
  expect(sent).toEqual([]);
  expect(await collected(request)).toEqual([]);
  await expect(page.locator('#hero')).toHaveText('Welcome back! Your picks are waiting');
});

test.describe('IAB TCF v2.2 CMP', () => {
  test('rejecting all purposes in the CMP keeps Attune from storing or sending anything', async ({ page, request }) => {
    await page.goto('/e2e/tcf.html');
    await tagReady(page);
    await page.evaluate(() => (window as unknown as { testCmp: { rejectAll(): void } }).testCmp.rejectAll());
    await expect.poll(async () => (await snapshot(page)).consent).toEqual({ analytics: 'denied', personalization: 'denied' });
    await page.evaluate(() => (window as unknown as { attune: (...a: unknown[]) => void }).attune('track', 'ignored'));
    await page.waitForTimeout(800);
    expect(await collected(request)).toEqual([]);
    expect(await databaseNames(page)).not.toContain('attune');
  });

  test('accepting all purposes in the CMP grants analytics and personalization', async ({ page, request }) => {
    await page.goto('/e2e/tcf.html');
    await tagReady(page);
    await page.evaluate(() => (window as unknown as { testCmp: { acceptAll(): void } }).testCmp.acceptAll());
    await expect.poll(async () => (await snapshot(page)).consent).toEqual({ analytics: 'granted', personalization: 'granted' });
    await page.evaluate(() => (window as unknown as { attune: (...a: unknown[]) => void }).attune('track', 'cmp_accepted'));
    await expect.poll(async () => (await collected(request)).map((e) => e.name)).toContain('cmp_accepted');
  });

  test('consenting to purposes 1, 3 and 4 only grants personalization, and the choice holds on the next page view', async ({ page, request }) => {
    await page.goto('/e2e/tcf.html');
    await tagReady(page);
    await page.evaluate(() => (window as unknown as { testCmp: { choose(ids: number[]): void } }).testCmp.choose([1, 3, 4]));
    await expect.poll(async () => (await snapshot(page)).consent).toEqual({ analytics: 'denied', personalization: 'granted' });
    await page.reload();
    await tagReady(page);
    await expect.poll(async () => (await snapshot(page)).consent).toEqual({ analytics: 'denied', personalization: 'granted' });
    await page.evaluate(() => (window as unknown as { attune: (...a: unknown[]) => void }).attune('track', 'viewed'));
    await expect.poll(async () => (await snapshot(page)).profile.counters.viewed).toBe(1);
    await page.waitForTimeout(800);
    expect(await collected(request)).toEqual([]);
  });
});
