import { expect, test } from '@playwright/test';
import { acceptOnShop, tagReady, viewProducts } from './helpers.js';

const DEFAULT_HEADLINE = 'Welcome to Attune Outfitters';
const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('a visitor who viewed three products sees the personalized headline after a reload', async ({ page }) => {
  await acceptOnShop(page);
  await viewProducts(page, 3);

  await page.reload();
  await tagReady(page);
  const hero = page.locator('#hero');
  await expect(hero).toHaveText(ENGAGED_HEADLINE);
  await expect(hero).toHaveAttribute('data-attune-reason', 'matched');
  await expect(hero).toHaveAttribute('data-attune-experience', 'hero-engaged');
});

test('a visitor who viewed fewer products keeps the default headline', async ({ page }) => {
  await page.goto('/shop/');
  await tagReady(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('button', { name: 'View product' }).first().click();
  await expect(page.locator('#views')).toHaveText('1');

  await page.reload();
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'not-in-audience');
});

test('without consent the default headline is served and says why', async ({ page }) => {
  await page.goto('/shop/');
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveText(DEFAULT_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-no-consent');
});

test('a newsletter reader sees the newsletter promo, decided from the campaign context', async ({ page }) => {
  await page.goto('/shop/?utm_source=newsletter&utm_medium=email');
  await tagReady(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('#promo')).toHaveText('Newsletter readers: 10% off today with code NEWS10');

  await page.goto('/shop/');
  await tagReady(page);
  await expect(page.locator('#promo')).toHaveText('Free shipping on orders over €50.');
});

test('an invalid bundle is rejected with a clear warning and the default content is served', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto('/e2e/invalid-bundle.html');
  await tagReady(page);
  await page.evaluate(() => (window as unknown as { attune: (...args: unknown[]) => void }).attune('consent', 'grant'));

  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-no-bundle');
  await expect(page.locator('#hero')).toHaveText('The page’s own headline');
  expect(warnings.some((text) => text.includes('bundle-invalid') && text.includes('experiences[0]'))).toBe(true);
  expect(pageErrors).toEqual([]);
});

test('an event that changes no decision leaves the slots and lists untouched; one that does rewrites only its slot', async ({ page }) => {
  await acceptOnShop(page);
  await page.waitForTimeout(500); // Lists and slots rendered for the grant.
  // Every change to a slot or a list (its attributes, its text, its children) from here on.
  await page.evaluate(() => {
    const changed: string[] = [];
    (window as unknown as { __changed: string[] }).__changed = changed;
    for (const element of document.querySelectorAll<HTMLElement>('[data-attune-slot], [data-attune-recommend]')) {
      const name = element.dataset.attuneSlot ?? `list:${element.dataset.attuneRecommend}`;
      new MutationObserver(() => changed.push(name)).observe(element, { attributes: true, childList: true, characterData: true, subtree: true });
    }
  });
  const changed = () => page.evaluate(() => [...new Set((window as unknown as { __changed: string[] }).__changed.splice(0))]);
  for (let i = 0; i < 5; i++) await page.evaluate(() => (window as unknown as { attune: (...args: unknown[]) => void }).attune('track', 'newsletter_opened'));
  await page.waitForTimeout(300);
  expect(await changed()).toEqual([]);

  await viewProducts(page, 3); // The hero's audience: its slot changes, and only the slots whose decision did.
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
  const after = await changed();
  expect(after).toContain('home.hero');
  expect(after).not.toContain('home.promo');
});
