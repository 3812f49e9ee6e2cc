import { expect, test } from '@playwright/test';
import { acceptOnShop, collected, strictShop, tagReady, viewProducts } from './helpers.js';

const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('the demo shop personalizes under a strict Content-Security-Policy without a single violation', async ({ page, request }) => {
  const violations = await strictShop(page);
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));

  await acceptOnShop(page);
  await viewProducts(page, 3);
  await page.reload();
  await tagReady(page);
  // The signed bundle was verified (WebCrypto) and its rules were compiled and evaluated.
  await expect(page.locator('#hero')).toHaveText(ENGAGED_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'matched');
  await page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());
  await expect.poll(async () => (await collected(request, false)).filter((event) => event.name === 'product_viewed').length).toBe(3);

  expect(pageErrors).toEqual([]);
  expect(violations).toEqual([]);
  // The policy is in force: an inline script the page adds is refused (and reported).
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = '(window).inlineRan = true;';
    document.head.append(script);
    return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations).toEqual([expect.stringMatching(/^script-src-elem inline/)]);
});
