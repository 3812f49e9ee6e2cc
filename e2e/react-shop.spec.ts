import { expect, test, type Page } from '@playwright/test';
import { acceptInExample, collected, frameworkExampleTests, reloadWithLateBundle, viewProductPages } from './helpers.js';
import { expectNeverHidden, expectNoFlicker, expectSteady, hiddenFrames, recorded } from './no-flicker.js';

const DEFAULT_HEADLINE = 'Welcome to Attune Outfitters';
const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';

const acceptOnReactShop = (page: Page, path = '/react-shop/') => acceptInExample(page, path);

/** The headline was hidden from its first frame, showed its default within the 300 ms timeout (plus a frame or two) and kept it. */
async function expectDefaultByTimeout(page: Page): Promise<void> {
  const [hiddenAt] = hiddenFrames((await recorded(page)).frames, 'hero');
  expect(hiddenAt, 'the headline is hidden while pending').toBeDefined();
  await expectSteady(page, 'hero', DEFAULT_HEADLINE, hiddenAt! + 300 + 200);
}

frameworkExampleTests();

test('a visitor who accepts and views three products sees the personalized headline after a reload, never the default first', async ({ page }) => {
  await acceptOnReactShop(page);
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await viewProductPages(page, 3);

  await page.reload();
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'matched');
  await expectNoFlicker(page, { hero: DEFAULT_HEADLINE });
});

test('a first-time visitor sees the default headline at once, never a hidden slot', async ({ page }) => {
  await page.goto('/react-shop/');
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-no-consent');
  await expectNeverHidden(page, 'hero');
  await expectNoFlicker(page, { hero: DEFAULT_HEADLINE });
});

test('navigating within the app decides the slots again, without a page load', async ({ page }) => {
  await acceptOnReactShop(page);
  await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');

  await page.getByRole('link', { name: 'Open as a newsletter reader' }).click();
  await expect(page.locator('#promo')).toHaveText('Newsletter readers: 10% off today with code NEWS10');
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');
  expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expect(page).toHaveURL(/\/react-shop\/$/);
});

test('each page view that shows the A/B test records one exposure', async ({ page, request }) => {
  await acceptOnReactShop(page);
  await page.reload();
  await expect(page.locator('#cta')).toHaveAttribute('data-attune-reason', /matched|holdout/);
  await page.getByRole('button', { name: 'View product' }).first().click();
  await page.getByRole('link', { name: 'Back to the shop' }).click();
  await expect(page.locator('#cta')).toBeVisible();

  const sequence = async () =>
    (await collected(request, false))
      .filter((event) => event.name === 'page_view' || event.name === 'experiment_exposure')
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((event) => (event.name === 'page_view' ? 'page_view' : event.name));
  // The first page view happened before consent (not recorded); its exposure came with the grant.
  await expect
    .poll(sequence, { timeout: 10_000 })
    .toEqual(['experiment_exposure', 'page_view', 'experiment_exposure', 'page_view', 'page_view', 'experiment_exposure']);
  const variants = (await collected(request, false)).filter((event) => event.name === 'experiment_exposure').map((event) => event.properties.variant);
  expect(new Set(variants).size).toBe(1);
});

test('with the bundle 2 s late, a returning visitor sees the default headline by the timeout and nothing changes after', async ({ page }) => {
  await acceptOnReactShop(page);
  await viewProductPages(page, 3);
  await reloadWithLateBundle(page);
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'timeout');
  await expectDefaultByTimeout(page);
  await expect(page.locator('#hero')).not.toHaveAttribute('data-attune-pending');
});
