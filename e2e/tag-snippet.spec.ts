import { expect, test } from '@playwright/test';
import { collected, tagReady } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('a grant queued in the snippet before the tag loads keeps the page view the tag records at start', async ({ page, request }) => {
  await page.goto('/e2e/queued-consent.html');
  await tagReady(page);

  await expect.poll(async () => (await collected(request)).filter((e) => e.name === 'page_view').length).toBe(1);
  const [pageView] = (await collected(request)).filter((e) => e.name === 'page_view');
  expect(pageView?.type).toBe('page');
});
