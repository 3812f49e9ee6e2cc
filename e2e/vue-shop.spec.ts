import { expect, test, type Page } from '@playwright/test';
import { collected } from './helpers.js';

const DEFAULT_HEADLINE = 'Welcome to Attune Outfitters';
const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';
const NEWSLETTER_PROMO = 'Newsletter readers: 10% off today with code NEWS10';

/** Console errors and warnings and uncaught errors of the page: a visitor's page stays clean. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

/** The visitor opens the Vue shop and accepts the consent banner. */
async function acceptOnVueShop(page: Page, path = '/vue-shop/'): Promise<void> {
  await page.goto(path);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('#consent-state')).toHaveText('analytics: granted, personalization: granted');
}

/** The visitor opens `count` products (client-side navigation) and comes back to the home page. */
async function viewProducts(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await page.getByRole('link', { name: 'View product' }).nth(i).click();
    await expect(page.locator('#detail-title')).toBeVisible();
    await expect(page.locator('#views')).toHaveText(String(i + 1));
    await page.getByRole('link', { name: 'Back to the shop' }).click();
  }
}

let problems: string[] = [];
test.beforeEach(async ({ page, request }) => {
  await request.delete('/events');
  problems = problemsOf(page);
});
test.afterEach(() => {
  expect(problems, 'console errors or warnings').toEqual([]);
});

test('a first-time visitor sees the default headline and the consent banner', async ({ page }) => {
  await page.goto('/vue-shop/');
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-no-consent');
  await expect(page.getByRole('complementary', { name: 'Consent' })).toBeVisible();
});

test('a visitor who accepts and views three products sees the personalized headline after a reload', async ({ page }) => {
  await acceptOnVueShop(page);
  await viewProducts(page, 3);

  await page.reload();
  const hero = page.locator('#hero');
  await expect(hero).toHaveText(ENGAGED_HEADLINE);
  await expect(hero).toHaveAttribute('data-attune-reason', 'matched');
  await expect(page.getByRole('complementary', { name: 'Consent' })).toHaveCount(0);
});

test('client-side navigation is a page view and the slots decide again for the new page', async ({ page, request }) => {
  await acceptOnVueShop(page);
  await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');

  await page.getByRole('link', { name: 'Newsletter readers' }).click();
  await expect(page).toHaveURL(/utm_source=newsletter/);
  await expect(page.locator('#promo')).toHaveText(NEWSLETTER_PROMO);
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');
  expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);

  await expect.poll(async () => (await collected(request, false)).filter((event) => event.type === 'page').length).toBe(2);
});

test('each page view showing the A/B test reports one exposure', async ({ page, request }) => {
  await acceptOnVueShop(page);
  const cta = page.locator('#cta');
  await expect(cta).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
  // Page views showing the call to action: this one, home again after a product, a reload.
  await page.getByRole('link', { name: 'View product' }).first().click();
  await page.getByRole('link', { name: 'Back to the shop' }).click();
  await expect(cta).toBeVisible();
  await page.reload();
  await expect(cta).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);

  const exposures = async () => (await collected(request, false)).filter((event) => event.name === 'experiment_exposure');
  await expect.poll(async () => (await exposures()).length).toBe(3);
  await page.waitForTimeout(1_500); // A later flush brings no extra exposure.
  const reported = await exposures();
  expect(reported).toHaveLength(3);
  expect(new Set(reported.map((event) => event.properties.variant)).size).toBe(1);
});
