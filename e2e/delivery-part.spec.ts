import { expect, test } from '@playwright/test';
import { collected, expectEachOnce, holdBack, openGranted, queuedEventCount, trackedNames, trackMany } from './helpers.js';

// Delivery to the collector (batching, retries, the page-hide send) is not in attune.min.js: the
// tag loads attune-sync.min.js from beside itself when it has a data-collector, from its start,
// while the first decision is made. These specs check what happens while it loads, or if it cannot.

const PAGE = '/e2e/adapter.html';

test.beforeEach(async ({ request }) => {
  await request.delete('/events');
});


test('a tag with a collector downloads the delivery file; one without never does', async ({ page, request }) => {
  const loaded: string[] = [];
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await openGranted(page, PAGE);
  await trackMany(page, 'sent', 1);
  await expect.poll(async () => (await collected(request)).length).toBe(1);
  expect(loaded).toContain('/tag/attune-sync.min.js');

  loaded.length = 0;
  await openGranted(page, `${PAGE}?collector=none`);
  await trackMany(page, 'kept', 1);
  await expect.poll(() => queuedEventCount(page)).toBe(1);
  expect(loaded).toContain('/tag/attune.min.js');
  expect(loaded).not.toContain('/tag/attune-sync.min.js');
});

test('events tracked while the delivery file is still loading go out once it has loaded, each once', async ({ page, request }) => {
  const release = await holdBack(page, '**/tag/attune-sync.min.js');
  await openGranted(page, PAGE);
  await trackMany(page, 'early', 4);
  await page.waitForTimeout(700); // Past the 200 ms flush interval: nothing could send yet.
  expect(await collected(request)).toEqual([]);
  expect(await queuedEventCount(page)).toBe(4);
  release();
  await expect.poll(async () => (await collected(request)).length, { timeout: 10_000 }).toBe(4);
  expectEachOnce(await collected(request), trackedNames('early', 4));
});

test('when the delivery file cannot load, the tag warns once, nothing throws, and the next page sends the events', async ({ context, request }) => {
  const first = await context.newPage();
  const warnings: string[] = [];
  first.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await first.route('**/tag/attune-sync.min.js', (route) => route.abort());
  await openGranted(first, PAGE);
  await trackMany(first, 'kept', 3);
  await expect.poll(() => warnings.filter((w) => w.includes('attune-sync.min.js')).length).toBe(1);
  await expect.poll(() => queuedEventCount(first)).toBe(3);
  const errors: string[] = [];
  first.on('pageerror', (error) => errors.push(error.message));
  await first.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await first.waitForTimeout(500);
  expect(errors).toEqual([]);
  expect(await collected(request)).toEqual([]);
  await first.close();

  const next = await context.newPage();
  await next.goto(PAGE);
  await expect.poll(async () => (await collected(request)).length, { timeout: 10_000 }).toBe(3);
  expectEachOnce(await collected(request), trackedNames('kept', 3));
});
