import { expect, test } from '@playwright/test';
import { attune, tagReady } from './helpers.js';

test('bundle content that holds markup is shown as text: no element is made and no script runs', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/e2e/markup-content.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');

  const hero = page.locator('#hero');
  await expect(hero).toHaveAttribute('data-attune-reason', 'matched');
  await expect(hero).toHaveText('<img src=x onerror="window.__attuneXss = 1"><b>Hello</b>');
  expect(await hero.locator('*').count()).toBe(0);
  await page.waitForTimeout(200); // An image error handler would have run by now.
  expect(await page.evaluate(() => (window as { __attuneXss?: number }).__attuneXss)).toBeUndefined();

  // Withdrawn: the page's own markup (the default) comes back as it was.
  await attune(page, 'consent', 'deny');
  await expect(hero).toHaveAttribute('data-attune-reason', 'default-no-consent');
  await expect(hero.locator('em')).toHaveText('own');
  expect(errors).toEqual([]);
});
