import { expect, test } from '@playwright/test';
import { blockedPartThenNextPage, collected, expectEachOnce, holdBack, openGranted, queuedEventCount, trackedNames, trackMany } from './helpers.js';

// The Segment and Snowplow formats are not in attune.min.js: the tag loads attune-adapters.min.js
// from beside itself when data-adapter names one. These specs check what reaches the collector.

const SEGMENT = '/e2e/adapter.html?adapter=segment&collector=/v1/batch';
const SNOWPLOW = '/e2e/adapter.html?adapter=snowplow&collector=/&app-id=shop';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});


test('data-adapter="segment" delivers Segment batch messages', async ({ page, request }) => {
  await openGranted(page, SEGMENT);
  await trackMany(page, 'seg', 3);
  await expect.poll(async () => (await collected(request)).length).toBe(3);
  const events = await collected(request);
  expectEachOnce(events, trackedNames('seg', 3));
  for (const event of events) {
    expect(event).toMatchObject({ format: 'segment', type: 'track', anonymousId: expect.any(String) });
    expect((event as unknown as { messageId: string }).messageId).toBe(event.id);
  }
});

test('data-adapter="snowplow" delivers tracker-protocol events with the app id', async ({ page, request }) => {
  await openGranted(page, SNOWPLOW);
  await trackMany(page, 'snow', 2);
  await expect.poll(async () => (await collected(request)).length).toBe(2);
  const events = await collected(request);
  expectEachOnce(events, trackedNames('snow', 2));
  for (const event of events) expect(event).toMatchObject({ format: 'snowplow', aid: 'shop' });
});

test('the default format does not download the adapters file', async ({ page, request }) => {
  const loaded: string[] = [];
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await openGranted(page, '/e2e/adapter.html');
  await trackMany(page, 'plain', 1);
  await expect.poll(async () => (await collected(request)).length).toBe(1);
  expect((await collected(request))[0]).toMatchObject({ format: 'json', name: 'plain-0' });
  expect(loaded).toContain('/tag/attune.min.js');
  expect(loaded).not.toContain('/tag/attune-adapters.min.js');
});

test('events tracked while the adapters file is still loading wait, then go out once in the right format', async ({ page, request }) => {
  // The file is held back until the test lets it through; the tag tries to send after 200 ms.
  const release = await holdBack(page, '**/tag/attune-adapters.min.js');
  await openGranted(page, SEGMENT);
  await trackMany(page, 'early', 4);
  await page.waitForTimeout(700);
  expect(await collected(request)).toEqual([]);
  expect(await queuedEventCount(page)).toBe(4);
  release();
  await expect.poll(async () => (await collected(request)).length, { timeout: 10_000 }).toBe(4);
  const events = await collected(request);
  expectEachOnce(events, trackedNames('early', 4));
  expect(events.every((e) => (e as unknown as { format: string }).format === 'segment')).toBe(true);
});

test('when the adapters file cannot load, the tag warns and keeps the events for the next page', async ({ context, request }) => {
  // Leaving the page must not send them in another format, nor throw; the next page sends them as Segment messages.
  const { events } = await blockedPartThenNextPage(context, request, 'attune-adapters.min.js', SEGMENT);
  expect(events.every((e) => (e as unknown as { format: string }).format === 'segment')).toBe(true);
});

test('a file at the adapters URL that does not provide the formats gets a warning, and nothing is sent in another format', async ({ page, request }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  // A stale deploy: some other script answers at that URL.
  await page.route('**/tag/attune-adapters.min.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.somethingElse = 1;' }));
  await openGranted(page, SEGMENT);
  await trackMany(page, 'stale', 2);
  await expect.poll(() => warnings.some((w) => w.includes('attune-adapters.min.js'))).toBe(true);
  await expect.poll(() => queuedEventCount(page)).toBe(2);
  await page.waitForTimeout(500);
  expect(await collected(request)).toEqual([]);
});
