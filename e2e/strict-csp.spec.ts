import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { acceptOnShop, collected, tagReady, viewProducts } from './helpers.js';

const ENGAGED_HEADLINE = 'Welcome back! Your picks are waiting';

/**
 * Serves the demo shop with a strict Content-Security-Policy: scripts only from the page's origin
 * plus the hash of its inline snippet (no 'unsafe-inline', no 'unsafe-eval'), connections to the
 * origin only. Returns the violations the page reports.
 */
async function strictShop(page: Page): Promise<string[]> {
  const html = await (await page.request.get('/shop/')).text();
  const snippet = /<script>([^<]*)<\/script>/.exec(html)?.[1];
  expect(snippet, 'the shop has its inline snippet').toBeTruthy();
  const hash = createHash('sha256').update(snippet!).digest('base64');
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
  // Every load of the shop, whatever its query (the product panel adds ?product=...).
  await page.route((url) => url.pathname === '/shop/', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (violation: string) => void violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(v: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

test.beforeEach(async ({ request }) => {
  await request.delete('/events');
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
