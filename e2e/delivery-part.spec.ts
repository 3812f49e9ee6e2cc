import { expect, test } from '@playwright/test';
import { blockedPartThenNextPage, collected, expectEachOnce, holdBack, openGranted, queuedEventCount, trackedNames, trackMany } from './helpers.js';

// Delivery to the collector (batching, retries, the page-hide send) is not in attune.min.js: the
// tag loads attune-sync.min.js from beside itself when it has a data-collector, from its start,
// while the first decision is made. These specs check what happens while it loads, or if it cannot.

const PAGE = '/e2e/adapter.html';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
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
  const { warnings } = await blockedPartThenNextPage(context, request, 'attune-sync.min.js', PAGE);
  expect(warnings.filter((warning) => warning.includes('attune-sync.min.js'))).toHaveLength(1);
});
