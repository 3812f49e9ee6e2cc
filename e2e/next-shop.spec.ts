import { expect, test, type Page } from '@playwright/test';
import { acceptInExample, collected, frameworkExampleTests, reloadWithLateBundle, viewProductPages } from './helpers.js';
import { expectNeverHidden, expectNoFlicker, expectSteady, hiddenFrames, recorded } from './no-flicker.js';

// The Next.js example runs on the port after the collector's (playwright.config.ts).
const NEXT = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4815) + 1}`;
const DEFAULT_HEADLINE = 'Welcome to Attune Outfitters';
const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';

frameworkExampleTests();

const accept = (page: Page) => acceptInExample(page, `${NEXT}/`);

/** The HTML the server sends for `path` with this browser's cookies. */
async function serverHtml(page: Page, path = '/'): Promise<string> {
  const response = await page.context().request.get(`${NEXT}${path}`);
  expect(response.ok()).toBe(true);
  return response.text();
}

test('a first visit is rendered as not consented: the default headline from the server, never hidden', async ({ page }) => {
  const html = await serverHtml(page);
  expect(html).toContain('data-attune-slot="home.hero" data-attune-reason="default-no-consent">Welcome to Attune Outfitters</h1>');
  await page.goto(`${NEXT}/`);
  await expect(page.locator('#consent-banner')).toBeVisible();
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expectNeverHidden(page, 'hero');
});

test('consent, three product views, reload: the headline the server left pending is revealed personalized, never the default first', async ({ page }) => {
  await accept(page);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'attune_id');
  expect(cookie).toMatchObject({ path: '/', sameSite: 'Lax' });
  await viewProductPages(page, 3);

  const html = await serverHtml(page);
  expect(html).toContain('<h1 id="hero" style="visibility:hidden" data-attune-slot="home.hero" data-attune-pending="">Welcome to Attune Outfitters</h1>');
  await page.reload();
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
  await expect(page.locator('#hero')).not.toHaveAttribute('data-attune-pending');
  await expectNoFlicker(page, { hero: DEFAULT_HEADLINE });
  await expectSteady(page, 'hero', ENGAGED_HEADLINE, Infinity);
});

test('the server decides the A/B test from the id cookie; hydration keeps it, and the page view records one exposure', async ({ page, request }) => {
  await accept(page);
  const html = await serverHtml(page);
  const served = /<p id="cta" class="cta" data-attune-slot="home.cta" data-attune-reason="(matched|holdout)">([^<]*)<\/p>/.exec(html);
  expect(served, 'the cta rendered final on the server').not.toBeNull();

  // The grant made the client decide the test on this page (a failure here names the reason it showed instead).
  await expect(page.locator('#cta')).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
  // This page's exposure is delivered first, so it does not count below.
  const exposures = async () => (await collected(request, false)).filter((event) => event.name === 'experiment_exposure').length;
  await expect.poll(exposures).toBe(1);
  await request.delete('/events?from=now');
  await page.reload();
  await expect(page.locator('#cta')).toHaveText(served![2]!);
  await expect(page.locator('#cta')).toHaveAttribute('data-attune-reason', served![1]!);
  const names = async () => (await collected(request, false)).map((event) => event.name).filter((name) => name === 'page_view' || name === 'experiment_exposure').sort();
  await expect.poll(names, { timeout: 10_000 }).toEqual(['experiment_exposure', 'page_view']);
  await page.waitForTimeout(1500);
  expect(await names()).toEqual(['experiment_exposure', 'page_view']);
});

test('a client-side navigation decides the slots again: the newsletter link changes the promo', async ({ page }) => {
  await accept(page);
  await page.reload();
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');
  await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
  await page.getByRole('link', { name: 'Open as a newsletter reader' }).click();
  await expect(page.locator('#promo')).toHaveText('Newsletter readers: 10% off today with code NEWS10');
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');
  expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
});

test('withdrawing consent removes the id cookie: the next page is rendered as not consented', async ({ page }) => {
  await accept(page);
  expect((await page.context().cookies()).map((c) => c.name)).toContain('attune_id');
  await page.getByRole('button', { name: 'Withdraw consent and erase my data' }).click();
  await expect.poll(async () => (await page.context().cookies()).map((c) => c.name)).not.toContain('attune_id');
  expect(await serverHtml(page)).toContain('data-attune-slot="home.hero" data-attune-reason="default-no-consent"');
});

test('with the bundle 2 s late, the headline the server left pending shows its default by the timeout and nothing changes after', async ({ page }) => {
  await accept(page);
  await viewProductPages(page, 3);
  await reloadWithLateBundle(page);
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'timeout');
  // Hidden from the server's HTML on; the timeout runs from the moment the app's scripts have loaded.
  const [hiddenAt] = hiddenFrames((await recorded(page)).frames, 'hero');
  expect(hiddenAt).toBeDefined();
  const started = await page.evaluate(() =>
    Math.max(0, ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) => entry.name.includes('/_next/static/chunks/')).map((entry) => entry.responseEnd)),
  );
  await expectSteady(page, 'hero', DEFAULT_HEADLINE, Math.max(hiddenAt!, started) + 300 + 500);
});
