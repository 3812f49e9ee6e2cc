import { expect, test } from '@playwright/test';
import { attune, tagReady } from './helpers.js';

test('the location the server wrote into the page (meta tags) targets a slot, and events carry it', async ({ page, request }) => {
  await request.delete('/events?from=now');
  await page.goto('/e2e/location-meta.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await expect(page.locator('#banner')).toHaveText('Livraison en 2 h à Paris');
  await attune(page, 'track', 'banner_seen');
  await attune(page, 'flush');
  await expect
    .poll(async () => ((await (await request.get('/events')).json()) as { context: { location: unknown } }[]).map((event) => event.context.location))
    .toContainEqual({ country: 'FR', region: 'FR-IDF' });
});

test('the tag reads the location from its data attributes (the country in any case)', async ({ page }) => {
  await page.goto('/e2e/location-data.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await expect(page.locator('#banner')).toHaveText('Livraison en 2 h à Paris');
  await expect(page.locator('#banner')).toHaveAttribute('data-attune-reason', 'matched');
});
