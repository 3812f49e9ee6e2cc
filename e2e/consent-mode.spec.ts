import { expect, test, type Page } from '@playwright/test';
import { attune, collected, databaseNames, queuedEventCount, tagReady, trackMany } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

const consent = (page: Page) => page.evaluate(() => (window as unknown as { attune: { client: { consent: { get(): Record<string, string> } } } }).attune.client.consent.get());

/** What the site's consent banner does when the visitor decides: Google's `gtag('consent', 'update', ...)`. */
const gtagUpdate = (page: Page, values: Record<string, string>) =>
  page.evaluate((values) => (window as unknown as { gtag(...args: unknown[]): void }).gtag('consent', 'update', values), values);

const ALL = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage'];
const every = (value: 'granted' | 'denied') => Object.fromEntries(ALL.map((type) => [type, value]));

/** Opens the page with Google's snippet (defaults denied) and waits for the tag and its Consent Mode reader. */
async function openPage(page: Page): Promise<void> {
  await page.goto('/e2e/consent-mode.html');
  await tagReady(page);
  await page.waitForFunction(() => '__attuneConsentMode' in window);
  await expect.poll(() => consent(page)).toEqual({ analytics: 'denied', personalization: 'denied' });
}

test('a visitor who has not decided yet: under the page’s denied defaults nothing is stored or sent', async ({ page, request }) => {
  const sent: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/collect') sent.push(req.url());
  });
  await openPage(page);
  await trackMany(page, 'browsed', 3);
  // The page's own dataLayer still works as before: push returns the new length.
  expect(await page.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: 'page_event' }))).toBe(4);
  await page.waitForTimeout(800);

  expect(sent).toEqual([]);
  expect(await collected(request)).toEqual([]);
  expect(await databaseNames(page)).not.toContain('attune');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('attune')))).toEqual([]);
});

test('the visitor accepts in the banner: gtag’s update grants, and events reach the collector', async ({ page, request }) => {
  await openPage(page);
  await gtagUpdate(page, { ...every('granted'), personalization_storage: 'granted' });
  await expect.poll(() => consent(page)).toEqual({ analytics: 'granted', personalization: 'granted' });
  await trackMany(page, 'accepted', 3);
  await expect.poll(async () => (await collected(request)).map((event) => event.name).filter((name) => name.startsWith('accepted'))).toEqual(['accepted-0', 'accepted-1', 'accepted-2']);
  expect(await databaseNames(page)).toContain('attune');
});

test('granting analytics_storage only sends events without keeping a profile', async ({ page, request }) => {
  await openPage(page);
  await gtagUpdate(page, { analytics_storage: 'granted' });
  await expect.poll(() => consent(page)).toEqual({ analytics: 'granted', personalization: 'denied' });
  await attune(page, 'track', 'measured');
  await expect.poll(async () => (await collected(request)).map((event) => event.name)).toContain('measured');
  const profile = await page.evaluate(() => (window as unknown as { attune: { client: { getSnapshot(): { profile: { counters: object } } } } }).attune.client.getSnapshot().profile);
  expect(profile.counters).toEqual({});
});

test('the visitor later withdraws in the banner: the update to denied erases, and nothing more is sent', async ({ page, request }) => {
  await openPage(page);
  await gtagUpdate(page, every('granted'));
  await expect.poll(() => consent(page)).toEqual({ analytics: 'granted', personalization: 'granted' });
  await attune(page, 'track', 'before_withdrawal');
  await expect.poll(async () => (await collected(request)).map((event) => event.name)).toContain('before_withdrawal');
  await page.route('**/collect', (route) => route.abort()); // Events tracked now wait in the queue...
  await trackMany(page, 'queued', 2);
  await expect.poll(() => queuedEventCount(page)).toBeGreaterThanOrEqual(2);

  await gtagUpdate(page, every('denied'));
  await expect.poll(() => consent(page)).toEqual({ analytics: 'denied', personalization: 'denied' });
  await expect.poll(() => databaseNames(page)).not.toContain('attune');
  await page.unroute('**/collect');
  const before = (await collected(request)).length;
  await trackMany(page, 'after_withdrawal', 2);
  await page.waitForTimeout(800);
  const names = (await collected(request)).map((event) => event.name);
  expect(names).toHaveLength(before);
  expect(names.filter((name) => name.startsWith('queued') || name.startsWith('after_withdrawal'))).toEqual([]); // ...and are never sent.
  expect(await databaseNames(page)).not.toContain('attune');
});
