import { expect, test } from '@playwright/test';
import { attune, tagReady } from './helpers.js';

const MODELS_FILE = '/tag/attune-models.min.js';

test('a slot targeted by a score shows its offer once the visitor is likely to buy; the model code loads only for it', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
  await page.goto('/e2e/models.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');

  const hero = page.locator('#hero');
  await expect(hero).toHaveAttribute('data-attune-reason', 'not-in-audience');
  // sigmoid(-1 + 0.5 * (views - 2) / 4) >= 0.5 from the 10th product view on.
  for (let i = 0; i < 9; i++) await attune(page, 'track', 'product_view');
  await page.waitForTimeout(50);
  await expect(hero).toHaveText('Welcome');
  await attune(page, 'track', 'product_view');
  await expect(hero).toHaveText('10% off for you today');
  await expect(hero).toHaveAttribute('data-attune-reason', 'matched');
  expect(loaded.filter((path) => path === MODELS_FILE)).toHaveLength(1);

  // A page whose bundle has no models never downloads the model code.
  loaded.length = 0;
  await page.goto('/e2e/markup-content.html');
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', /.+/);
  expect(loaded).not.toContain(MODELS_FILE);
});

test('when the model code cannot load, only the slot reading a score keeps its default (with the reason); the rest of the page is personalized', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())));
  await page.route(`**${MODELS_FILE}`, (route) => route.abort());
  await page.goto('/e2e/models.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await expect(page.locator('#note')).toHaveText('Free returns, always');
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'error');
  await expect(page.locator('#hero')).toHaveText('Welcome');
  expect(warnings.some((text) => /model-invalid: could not load .*attune-models\.min\.js/.test(text))).toBe(true);
});
