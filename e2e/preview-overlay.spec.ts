import { expect, test } from '@playwright/test';
import { acceptOnShop, collected, strictShop, tagReady, watchErrors, type CollectedEvent } from './helpers.js';

const TEXT = { control: 'Free returns within 30 days.', urgency: 'Order within 2 hours for next-day delivery.' };
const PREVIEW_FILE = /attune-preview\.min\.js$/;

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

const ctaExposures = (events: CollectedEvent[]) => events.filter((event) => event.name === 'experiment_exposure' && (event.properties as { experiment?: string }).experiment === 'cta-test');
const flush = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());

test('QA opens the demo with ?attune_debug=1 under a strict CSP, forces the other A/B variant by keyboard: the slot changes and no exposure is recorded', async ({ page, request }) => {
  const violations = await strictShop(page);
  const errors = watchErrors(page);
  const previewRequests: string[] = [];
  page.on('request', (request) => void (PREVIEW_FILE.test(request.url()) && previewRequests.push(request.url())));

  // A normal page view never loads the overlay's file.
  await acceptOnShop(page);
  const cta = page.locator('#cta');
  await expect(cta).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
  expect(previewRequests).toEqual([]);

  await page.goto('/shop/?attune_debug=1');
  await tagReady(page);
  const overlay = page.getByRole('dialog', { name: 'Attune preview' });
  await expect(overlay).toBeVisible();
  expect(previewRequests).toHaveLength(1);
  await expect(cta).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
  const assigned = (await cta.getAttribute('data-attune-reason')) === 'holdout' ? 'holdout' : (await cta.getAttribute('data-attune-variant'))!;
  const other = assigned === 'urgency' ? 'control' : 'urgency';

  // What the overlay says about the visitor and the slot.
  await expect(overlay).toContainText('analytics granted, personalization granted');
  await expect(overlay).toContainText(/shop version \S+ \(from (network|cache)\)/);
  const ctaRow = overlay.locator('tr[data-slot="home.cta"]');
  await expect(ctaRow).toContainText(assigned === 'holdout' ? 'holdout' : 'matched');
  const test = overlay.locator('fieldset[data-experiment="cta-test"]');
  await expect(test).toContainText(`assigned ${assigned}`);

  // Two page views so far: one exposure each, for the assigned variant.
  await flush(page);
  await expect.poll(async () => ctaExposures(await collected(request, false)).length).toBe(2);

  // Keyboard only: choose the other variant, Tab to "Force cta-test", Enter.
  const variant = test.getByLabel('Variant');
  await variant.focus();
  await variant.selectOption(other);
  await expect(variant).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(test.getByRole('button', { name: 'Force cta-test' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(cta).toHaveText(TEXT[other]);
  await expect(cta).toHaveAttribute('data-attune-reason', 'forced');
  await expect(cta).toHaveAttribute('data-attune-variant', other);
  await expect(ctaRow).toContainText('forced');
  await expect(test).toContainText(`forced ${other}`);
  await expect(overlay.getByRole('status')).toHaveText(`cta-test: forced to ${other}.`);
  await expect(overlay.getByRole('link', { name: 'Link to this preview' })).toHaveAttribute('href', new RegExp(`attune_force=cta-test%3A${other}`));

  // Everything recorded up to a later event reached the collector: still no exposure for the forced variant.
  await page.evaluate(() => (window as unknown as { attune: (...a: unknown[]) => void }).attune('track', 'after_force'));
  await flush(page);
  await expect.poll(async () => (await collected(request, false)).some((event) => event.name === 'after_force')).toBe(true);
  const exposures = ctaExposures(await collected(request, false));
  expect(exposures).toHaveLength(2);
  expect(exposures.map((event) => (event.properties as { variant: string }).variant)).toEqual([assigned, assigned]);

  // Clearing gives the visitor's own variant back; Escape closes the overlay.
  await test.getByRole('button', { name: 'Clear cta-test' }).click();
  await expect(cta).toHaveAttribute('data-attune-reason', assigned === 'holdout' ? 'holdout' : 'matched');
  await expect(test.getByRole('button', { name: 'Clear cta-test' })).toBeDisabled();
  // The focus stays in the overlay (Clear is disabled now), so Escape still reaches it.
  await expect(test.getByRole('button', { name: 'Force cta-test' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(overlay).toHaveCount(0);

  expect(errors).toEqual([]);
  expect(violations).toEqual([]);
});

test("attune('preview') opens the overlay on demand, before consent too", async ({ page }) => {
  await page.goto('/shop/');
  await tagReady(page);
  await expect(page.getByRole('dialog', { name: 'Attune preview' })).toHaveCount(0);
  await page.evaluate(() => (window as unknown as { attune: (...a: unknown[]) => void }).attune('preview'));
  const overlay = page.getByRole('dialog', { name: 'Attune preview' });
  await expect(overlay).toBeVisible();
  await expect(overlay).toContainText('personalization unknown');
  await expect(overlay.locator('tr[data-slot="home.cta"]')).toContainText('default-no-consent');
  await expect(overlay.getByRole('heading', { name: 'Attune preview' })).toBeFocused();
});
