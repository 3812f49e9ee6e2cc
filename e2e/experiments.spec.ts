import { expect, test } from '@playwright/test';
import { acceptOnShop, collected, tagReady } from './helpers.js';

const CONTROL = 'Free returns within 30 days.';
const URGENCY = 'Order within 2 hours for next-day delivery.';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('QA opens the shop with ?attune_force and sees the forced variant, marked as forced', async ({ page }) => {
  await page.goto('/shop/?attune_force=cta-test:urgency');
  await tagReady(page);
  const cta = page.locator('#cta');
  await expect(cta).toHaveText(URGENCY);
  await expect(cta).toHaveAttribute('data-attune-reason', 'forced');
  await expect(cta).toHaveAttribute('data-attune-variant', 'urgency');

  // The other arm can be forced too, and without the parameter the page is back to normal.
  await page.goto('/shop/?attune_force=cta-test:control');
  await tagReady(page);
  await expect(cta).toHaveText(CONTROL);
  await expect(cta).toHaveAttribute('data-attune-reason', 'forced');
  await page.goto('/shop/');
  await tagReady(page);
  await expect(cta).toHaveAttribute('data-attune-reason', 'default-no-consent');
});

test('a visitor is assigned once, keeps the variant on every visit, and each page view (SPA navigations included) reports one exposure', async ({ page, request }) => {
  await acceptOnShop(page);
  const cta = page.locator('#cta');
  await expect(cta).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
  const reason = await cta.getAttribute('data-attune-reason');
  const variant = reason === 'holdout' ? 'holdout' : await cta.getAttribute('data-attune-variant');
  if (variant !== 'holdout') await expect(cta).toHaveText(variant === 'urgency' ? URGENCY : CONTROL);

  for (let visit = 0; visit < 2; visit++) {
    await page.reload();
    await tagReady(page);
    await expect(cta).toHaveAttribute('data-attune-reason', reason!);
    if (variant !== 'holdout') await expect(cta).toHaveAttribute('data-attune-variant', variant!);
  }
  // Viewing a product is an SPA navigation: a new page view, so one more exposure.
  await page.getByRole('button', { name: 'View product' }).first().click();
  await page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());

  const ctaExposure = (event: { name: string; properties: Record<string, unknown> }) => event.name === 'experiment_exposure' && event.properties.experiment === 'cta-test';
  await expect.poll(async () => (await collected(request, false)).filter(ctaExposure).length).toBe(4);
  const events = await collected(request, false) as Array<{ name: string; properties: Record<string, unknown>; experiments?: Record<string, string> }>;
  for (const exposure of events.filter(ctaExposure)) {
    expect(exposure.properties).toMatchObject({ experiment: 'cta-test', variant, slot: 'home.cta' });
  }
  // Events carry the visitor's assignments, so a report needs no joins.
  const viewed = events.find((event) => event.name === 'product_viewed');
  expect(viewed?.experiments).toMatchObject({ 'cta-test': variant });
});

test('a visitor who accepts and reloads at once keeps the same anonymous id and the same variant', async ({ browser }) => {
  // Leaving right after Accept can beat IndexedDB's first commit; the id must survive it. Several
  // visitors, because the commit is not always that slow.
  for (let visitor = 0; visitor < 6; visitor++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/shop/');
    await tagReady(page);
    await page.getByRole('button', { name: 'Accept' }).click();
    const cta = page.locator('#cta');
    await expect(cta).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
    const seen = () =>
      page.evaluate(() => {
        const client = (window as unknown as { attune: { client: { getSnapshot(): { profile: { anonymousId: string | null } } } } }).attune.client;
        const element = document.querySelector('#cta') as HTMLElement;
        return { id: client.getSnapshot().profile.anonymousId, reason: element.dataset.attuneReason, variant: element.dataset.attuneVariant };
      });
    const before = await seen();
    await page.reload();
    await tagReady(page);
    await expect(cta).toHaveAttribute('data-attune-reason', before.reason!);
    expect(await seen()).toEqual(before);
    await context.close();
  }
});

test('the banner bandit shows one arm per session, the same on reload, and records its exposure like an experiment', async ({ page, request }) => {
  await request.delete('/events?from=now');
  const loaded: string[] = [];
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await acceptOnShop(page);
  const banner = page.locator('#banner');
  await expect(banner).toHaveAttribute('data-attune-reason', 'matched');
  await expect(banner).toHaveAttribute('data-attune-experience', 'shipping-banner');
  const arm = await banner.getAttribute('data-attune-variant');
  expect(['free-shipping', 'ten-off', 'gift-wrap']).toContain(arm);
  const texts: Record<string, string> = {
    'free-shipping': 'Free shipping on every order this week.',
    'ten-off': '10% off your first order: code HELLO10.',
    'gift-wrap': 'Free gift wrapping on everything.',
  };
  await expect(banner).toHaveText(texts[arm!]!);
  expect(loaded).toContain('/tag/attune-models.min.js'); // the bandit code loads with this bundle

  await page.reload();
  await tagReady(page);
  await expect(banner).toHaveAttribute('data-attune-variant', arm!);
  await page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());
  const exposures = async () =>
    (await collected(request, false)).filter((event) => event.name === 'experiment_exposure' && event.properties.experiment === 'shipping-banner').map((event) => event.properties);
  await expect.poll(async () => (await exposures()).length).toBe(2);
  for (const exposure of await exposures()) expect(exposure).toMatchObject({ experiment: 'shipping-banner', variant: arm, slot: 'home.banner' });
});

// Experiments are not in attune.min.js: the tag loads attune-experiments.min.js from beside itself
// only for a bundle with an experiment, before it compiles.
const EXPERIMENTS_FILE = '/tag/attune-experiments.min.js';

test('the experiments file loads once for a bundle with an experiment, never for one without', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
  await acceptOnShop(page);
  await expect(page.locator('#cta')).toHaveAttribute('data-attune-reason', /^(matched|holdout)$/);
  expect(loaded.filter((path) => path === EXPERIMENTS_FILE)).toHaveLength(1);

  // The operators page's bundle has no experiment.
  loaded.length = 0;
  await page.goto('/e2e/operators.html');
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', /.+/);
  expect(loaded).toContain('/tag/attune.min.js');
  expect(loaded).not.toContain(EXPERIMENTS_FILE);
});

test('when the experiments file cannot load, experiments keep the page markup (reason error) with one warning naming it, and the other slots decide', async ({ page }) => {
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`**${EXPERIMENTS_FILE}`, (route) => route.abort());
  await acceptOnShop(page);

  const cta = page.locator('#cta');
  await expect(cta).toHaveAttribute('data-attune-reason', 'error');
  await expect(cta).toHaveText(CONTROL);
  await expect(page.locator('#banner')).toHaveAttribute('data-attune-reason', 'error');
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', /.+/);
  expect(await page.locator('#hero').getAttribute('data-attune-reason')).not.toBe('error');
  await expect.poll(() => warnings.filter((warning) => warning.includes('attune-experiments.min.js')).length).toBe(1);
  expect(errors).toEqual([]);
});
