import { expect, test, type Page } from '@playwright/test';
import { acceptOnShop, changeStore, tagReady, viewProducts } from './helpers.js';
import { expectNeverHidden, expectNoFlicker, expectSteady, firstShown, recorded, recordSlotFrames, waitUntilPageTime } from './no-flicker.js';

const DEFAULT_HEADLINE = 'Welcome to Attune Outfitters';
const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';
const SHOP_DEFAULTS = {
  hero: DEFAULT_HEADLINE,
  promo: 'Free shipping on orders over €50.',
  picks: 'New this week: the whole autumn range.',
};
/** The tag's default pendingTimeoutMs, and what a loaded CI machine may add to it. */
const PENDING_TIMEOUT_MS = 300;
const CI_SLACK_MS = 250;

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

/** The tag's User Timing marks (attune:*), in the order they were made. */
function attuneMarks(page: Page): Promise<{ name: string; startTime: number }[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((mark) => mark.name.startsWith('attune:'))
      .map(({ name, startTime }) => ({ name, startTime })),
  );
}

/** A visitor who accepted and viewed three products: the next page view gets the engaged headline. */
async function becomeEngaged(page: Page): Promise<void> {
  await acceptOnShop(page);
  await viewProducts(page, 3);
}

/** Serves the demo shop with its tag synchronous (the tag runs before the parser reaches the slots), plus `attributes`. */
async function syncTag(page: Page, attributes = ''): Promise<void> {
  await page.route((url) => url.pathname === '/shop/', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    const tag = '<script async blocking="render" src=';
    expect(html, 'the shop places its tag as this test expects').toContain(tag);
    await route.fulfill({ response, body: html.replace(tag, `<script ${attributes} src=`) });
  });
}

/** The bundle answers only after 2 s (a slow network, a cold CDN). */
async function slowBundle(page: Page): Promise<void> {
  await page.route('**/bundles/shop.json', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
}

/** The hero's decision now, had the page not shown it already. */
function heroReasonNow(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { attune: { client: { decide(slot: string): { reason: string } } } }).attune.client.decide('home.hero').reason);
}

for (const placement of ['async blocking="render"', 'sync'] as const) {
  test(`a returning visitor never sees the default headline before the personalized one (tag: ${placement})`, async ({ page }) => {
    await becomeEngaged(page);
    if (placement === 'sync') await syncTag(page);

    await recordSlotFrames(page);
    await page.reload();
    await tagReady(page);
    await waitUntilPageTime(page, 1500);

    await expectNoFlicker(page, SHOP_DEFAULTS);
    const { frames } = await recorded(page);
    expect(firstShown(frames, 'hero')?.text).toBe(ENGAGED_HEADLINE);
    await expect(page.locator('[data-attune-pending]')).toHaveCount(0);
    // The tag says when it started, first decided, and filled every slot, in that order.
    const marks = await attuneMarks(page);
    expect(marks.map((mark) => mark.name)).toEqual(['attune:start', 'attune:first-decision', 'attune:slots-filled']);
    expect(marks[0]!.startTime).toBeLessThanOrEqual(marks[1]!.startTime);
    expect(marks[1]!.startTime).toBeLessThanOrEqual(marks[2]!.startTime);
    const since = (i: number): string => `${(marks[i]!.startTime - marks[0]!.startTime).toFixed(1)} ms`;
    test.info().annotations.push({ type: 'timing', description: `start→first-decision ${since(1)}, start→slots-filled ${since(2)}` });
  });
}

test('when the bundle is slow, the default headline shows at the timeout and stays', async ({ page }) => {
  await becomeEngaged(page);
  await changeStore(page, 'bundles'); // No cached bundle: this page view waits for the network.
  await slowBundle(page);

  await recordSlotFrames(page);
  await page.reload();
  await tagReady(page);
  // The bundle came: now the headline would be personalized, but the page keeps what it showed.
  expect(await heroReasonNow(page)).toBe('matched');
  const [start] = await attuneMarks(page);
  expect(start?.name).toBe('attune:start');
  await waitUntilPageTime(page, start!.startTime + 2500);

  const deadline = start!.startTime + PENDING_TIMEOUT_MS + CI_SLACK_MS;
  for (const [slot, text] of Object.entries(SHOP_DEFAULTS)) await expectSteady(page, slot, text, deadline);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'timeout');
});

test('a slot kept at its default after the timeout is decided again on the next page view of the single-page shop', async ({ page }) => {
  await becomeEngaged(page);
  await changeStore(page, 'bundles');
  await slowBundle(page);
  await page.reload();
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'timeout');
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);

  // The visitor opens a product: the shop's pushState is a new page view, decided afresh.
  await page.getByRole('button', { name: 'View product' }).first().click();
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'matched');
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
});

test('data-pending-timeout sets how long a pending slot may stay hidden', async ({ page }) => {
  await becomeEngaged(page);
  await changeStore(page, 'bundles'); // No cached bundle: this page view waits for the network.
  await slowBundle(page);
  await syncTag(page, 'data-pending-timeout="900"');

  await recordSlotFrames(page);
  await page.reload();
  await tagReady(page);
  const [start] = await attuneMarks(page);
  await waitUntilPageTime(page, start!.startTime + 2500);

  const { frames } = await recorded(page);
  // Hidden until the timeout (a frame's time is when it began: allow one frame early).
  expect(firstShown(frames, 'hero')!.at).toBeGreaterThan(start!.startTime + 900 - 20);
  await expectSteady(page, 'hero', DEFAULT_HEADLINE, start!.startTime + 900 + CI_SLACK_MS);
  expect(await heroReasonNow(page)).toBe('matched');
});

test('a first-time visitor sees the default headline at once, never a hidden slot', async ({ page }) => {
  await recordSlotFrames(page);
  await page.goto('/shop/');
  await tagReady(page);
  await waitUntilPageTime(page, 1000);

  for (const slot of Object.keys(SHOP_DEFAULTS)) await expectNeverHidden(page, slot);
  await expectNoFlicker(page, SHOP_DEFAULTS);
  const { frames } = await recorded(page);
  expect(firstShown(frames, 'hero')?.text).toBe(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).not.toHaveAttribute('data-attune-pending');
});
