import { expect, test } from '@playwright/test';
import { acceptOnShop, collected, tagReady } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('single-page navigations are recorded as page views, back navigation included', async ({ page, request }) => {
  await acceptOnShop(page);
  await page.getByRole('button', { name: 'View product' }).first().click();
  await expect(page).toHaveURL(/\?product=JKT-1$/);
  await expect.poll(async () => (await collected(request)).filter((e) => e.name === 'page_view').length).toBe(1);
  await page.goBack();
  await expect.poll(async () => (await collected(request)).filter((e) => e.name === 'page_view').length).toBe(2);
  const urls = (await collected(request)).filter((e) => e.name === 'page_view').map((e) => String(e.properties.url));
  expect(urls[0]).toMatch(/\/shop\/\?product=JKT-1$/);
  expect(urls[1]).toMatch(/\/shop\/$/);
});

test('a click on an element marked data-attune-track is recorded with its data-attune-* properties', async ({ page, request }) => {
  await acceptOnShop(page);
  await page.getByRole('button', { name: 'Add to cart' }).nth(2).click();
  await expect.poll(async () => (await collected(request)).find((e) => e.name === 'add_to_cart')?.properties).toEqual({ sku: 'BOT-3' });
});

test('using a form is recorded as started and submitted, never with what was typed', async ({ page, request }) => {
  await acceptOnShop(page);
  await page.getByLabel('Email').fill('visitor@example.com');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.locator('#newsletter-thanks')).toBeVisible();
  await expect.poll(async () => (await collected(request)).map((e) => e.name)).toEqual(expect.arrayContaining(['form_started', 'form_submitted']));
  const formEvents = (await collected(request)).filter((e) => e.name.startsWith('form_'));
  expect(formEvents.every((e) => e.properties.formId === 'newsletter')).toBe(true);
  expect(JSON.stringify(await collected(request))).not.toContain('visitor@example.com');
});

test('a form started and left unsent is recorded as abandoned when the visitor leaves', async ({ page, request }) => {
  await acceptOnShop(page);
  await page.getByLabel('Email').fill('half@example.com');
  await page.goto('/e2e/delivery.html');
  await expect.poll(async () => (await collected(request)).map((e) => e.name)).toContain('form_abandoned');
  expect((await collected(request)).find((e) => e.name === 'form_abandoned')?.properties).toMatchObject({ formId: 'newsletter', fieldsTouched: 1 });
});

test('Core Web Vitals of a consented page view are loaded after the page and reported by the time the visitor leaves', async ({ page, request }) => {
  await acceptOnShop(page);
  // Metrics measured before the visitor accepted are dropped like any other event: start a page view with consent.
  await page.reload();
  await tagReady(page);
  await expect.poll(() => page.evaluate(() => typeof (window as { __attuneWebVitals?: unknown }).__attuneWebVitals)).toBe('function');
  await page.getByRole('button', { name: 'View product' }).first().click();
  await page.goto('/e2e/delivery.html');
  await expect
    .poll(async () => (await collected(request)).filter((e) => e.name === 'web_vital').map((e) => e.properties.metric))
    .toEqual(expect.arrayContaining(['TTFB', 'FCP']));
  const ttfb = (await collected(request)).find((e) => e.name === 'web_vital' && e.properties.metric === 'TTFB');
  expect(ttfb?.properties).toMatchObject({ rating: expect.stringMatching(/good|needs-improvement|poor/), value: expect.any(Number) });
});
