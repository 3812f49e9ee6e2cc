import { expect, test } from '@playwright/test';
import { attune, tagReady } from './helpers.js';

// Arithmetic, array, string, text and time operators are not in attune.min.js: the tag loads
// attune-operators.min.js from beside itself only for a bundle whose rules use one, before it compiles.

const OPERATORS_FILE = '/tag/attune-operators.min.js';

test('rules using substr and + decide as written; the operators file loads only for such a bundle', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
  await page.goto('/e2e/operators.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');

  // The page's locale is en-US: {"substr": [locale, 0, 2]} is "en".
  await expect(page.locator('#hero')).toHaveText('Hello, English reader');
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'matched');
  const note = page.locator('#note');
  await expect(note).toHaveAttribute('data-attune-reason', 'not-in-audience');
  await attune(page, 'track', 'product_view');
  await page.waitForTimeout(50);
  await expect(note).toHaveText('Free returns');
  await attune(page, 'track', 'add_to_cart'); // count(product_view) + count(add_to_cart) >= 2
  await expect(note).toHaveText('Free shipping for you');
  expect(loaded.filter((path) => path === OPERATORS_FILE)).toHaveLength(1);

  // The demo shop's rules use none of them: it never downloads the file.
  loaded.length = 0;
  await page.goto('/shop/');
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', /.+/);
  expect(loaded).toContain('/tag/attune.min.js');
  expect(loaded).not.toContain(OPERATORS_FILE);
});

test('when the operators file cannot load, the rules using it keep the page markup (reason error), with one warning', async ({ page }) => {
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`**${OPERATORS_FILE}`, (route) => route.abort());
  await page.goto('/e2e/operators.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');

  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'error');
  await expect(page.locator('#hero')).toHaveText('Welcome');
  await expect(page.locator('#note')).toHaveAttribute('data-attune-reason', 'error');
  await expect(page.locator('#note')).toHaveText('Free returns');
  await expect.poll(() => warnings.filter((warning) => warning.includes('attune-operators.min.js')).length).toBe(1);
  expect(errors).toEqual([]);
});
