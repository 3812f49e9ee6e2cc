import { expect, test } from '@playwright/test';
import { acceptOnShop, attune, changeStore, collected, storedRecords, tagReady } from './helpers.js';

const PICKS_DEFAULT = 'New this week: the whole autumn range.';
const PICKS_OUTERWEAR = 'Picked for you: jackets and ponchos for the rain';
const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

const viewSku = (page: import('@playwright/test').Page, sku: string) => page.locator(`button[data-sku="${sku}"]`).click();

/** The product views counted in IndexedDB (what the next page load starts from). */
const storedViews = async (page: import('@playwright/test').Page) => {
  const [aggregate] = (await storedRecords(page, 'aggregates', 'product_viewed')) as ({ count?: number } | undefined)[];
  return aggregate?.count ?? 0;
};

test('the favourite category picks the content, and a second open tab agrees without a reload', async ({ page, context }) => {
  await acceptOnShop(page);
  const other = await context.newPage();
  await other.goto('/shop/');
  await tagReady(other);
  await expect(other.locator('#picks')).toHaveText(PICKS_DEFAULT);

  await viewSku(page, 'HAT-2');
  await viewSku(page, 'JKT-1');
  await viewSku(page, 'PON-4');
  await expect(page.locator('#top-category')).toHaveText('outerwear');
  await expect(page.locator('#picks')).toHaveText(PICKS_OUTERWEAR);

  // The other tab heard about the views over BroadcastChannel and decides the same.
  await expect(other.locator('#views')).toHaveText('3');
  await expect(other.locator('#top-category')).toHaveText('outerwear');
  await expect(other.locator('#picks')).toHaveText(PICKS_OUTERWEAR);
  await expect(other.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
});

test('signing in keeps the anonymous history, sends the email only hashed, and signing out starts afresh', async ({ page, request }) => {
  await acceptOnShop(page);
  await viewSku(page, 'JKT-1');
  await viewSku(page, 'BOT-3');
  await expect(page.locator('#views')).toHaveText('2');

  await page.locator('#sign-in').click();
  await expect(page.locator('#user')).toHaveText('user-jane');
  await expect(page.locator('#views')).toHaveText('2');

  await attune(page, 'flush');
  await expect.poll(async () => (await collected(request)).some((event) => event.name === 'identify')).toBe(true);
  const events = await collected(request);
  const identify = events.find((event) => event.name === 'identify') as unknown as { traits: Record<string, unknown>; userId: string };
  expect(identify.userId).toBe('user-jane');
  expect(identify.traits.emailSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(events).toLowerCase()).not.toContain('jane@example.com');

  await page.locator('#sign-out').click();
  await expect(page.locator('#user')).toHaveText('nobody');
  await expect(page.locator('#views')).toHaveText('0');
  await viewSku(page, 'HAT-2');

  // Back as Jane: her saved profile and the views made while signed out are merged.
  await page.locator('#sign-in').click();
  await expect(page.locator('#user')).toHaveText('user-jane');
  await expect(page.locator('#views')).toHaveText('3');
  await page.reload();
  await tagReady(page);
  await expect(page.locator('#views')).toHaveText('3');
  await expect(page.locator('#visits')).not.toHaveText('0');
});

test('with IndexedDB blocked the profile lives in memory, decisions still work and events still arrive', async ({ page, request }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.addInitScript(() => {
    // Like a browser that refuses storage: opening any database fails.
    IDBFactory.prototype.open = function open() {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await acceptOnShop(page);
  for (const sku of ['JKT-1', 'HAT-2', 'BOT-3']) await viewSku(page, sku);
  await expect(page.locator('#views')).toHaveText('3');
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
  expect(warnings.filter((text) => text.includes('storage-unavailable'))).toHaveLength(1);

  await attune(page, 'flush');
  await expect.poll(async () => (await collected(request)).filter((event) => event.name === 'product_viewed').length).toBe(3);
});

test('a stored profile changed outside the SDK starts afresh from the last saved events, keeping the visitor id, and personalization works again', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await acceptOnShop(page);
  await viewSku(page, 'JKT-1');
  await viewSku(page, 'BOT-3');
  await expect(page.locator('#views')).toHaveText('2');
  // The SDK's own writes have landed (flush() writes what waits for the write delay first): the
  // change below comes after them.
  await expect.poll(() => storedViews(page)).toBe(2);
  await page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());
  const anonymousId = await page.evaluate(() => (window as unknown as { attune: { client: { getSnapshot(): { profile: { anonymousId: string } } } } }).attune.client.getSnapshot().profile.anonymousId);

  // Another script (or a person in DevTools) rewrites the profile record with nonsense.
  await changeStore(page, 'profile', { key: 'current', value: { aliases: 'x', traits: 5, data: { viewed: [null], recent: 'x', seen: 5, sessions: null } } });

  await page.reload();
  await tagReady(page);
  // The unreadable record is replaced by a fresh profile, to which the last events saved when the
  // page was hidden (the two views among them) are applied again.
  await expect(page.locator('#views')).toHaveText('2');
  await viewSku(page, 'HAT-2');
  await expect(page.locator('#views')).toHaveText('3');
  // The healed profile and the new views are what the next page load starts from.
  await expect.poll(() => storedViews(page)).toBe(3);
  await page.reload();
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
  const after = await page.evaluate(() => (window as unknown as { attune: { client: { getSnapshot(): { profile: { anonymousId: string } } } } }).attune.client.getSnapshot().profile.anonymousId);
  expect(after).toBe(anonymousId);
  expect(errors).toEqual([]);
  // The page hears of it once (a console warning, as the shop passes no onError).
  expect(warnings.filter((text) => text.includes('profile-invalid'))).toEqual(['[attune] profile-invalid: The stored profile was unreadable: it starts afresh.']);
});

test('views clicked right before a reload all count on the next page', async ({ page }) => {
  await acceptOnShop(page);
  // Three rounds of a view and an immediate reload: the browser may drop the IndexedDB write with
  // the page, and the views saved when the page was hidden fill the gap.
  for (const [round, sku] of ['JKT-1', 'BOT-3', 'HAT-2'].entries()) {
    await viewSku(page, sku);
    await expect(page.locator('#views')).toHaveText(String(round + 1));
    await page.reload();
    await tagReady(page);
    await expect(page.locator('#views')).toHaveText(String(round + 1));
  }
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
});
