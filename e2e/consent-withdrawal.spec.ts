import { expect, test, type Page } from '@playwright/test';
import { anonymousId, attune, collected, databaseNames, queuedEventCount, setCollector, tagReady, trackMany } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

/** A visitor accepts and browses while the collector is unreachable: five events wait in the queue. */
async function browsedOffline(page: Page, request: Parameters<typeof setCollector>[0]): Promise<string | null> {
  await setCollector(request, 'down');
  await page.goto('/e2e/delivery.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await trackMany(page, 'withdrawn', 5);
  await expect.poll(() => queuedEventCount(page)).toBe(5);
  return anonymousId(page);
}

test('a visitor who withdraws and accepts again at once starts afresh: nothing from before reaches the collector', async ({ page, request }) => {
  const before = await browsedOffline(page, request);
  expect(before).toBeTruthy();

  // The consent manager withdraws and grants again in the same task, as the tag's commands.
  await page.evaluate(() => {
    const command = (window as unknown as { attune: (...a: unknown[]) => void }).attune;
    command('consent', 'deny');
    command('consent', 'grant');
  });
  await setCollector(request, 'up');
  await attune(page, 'track', 'after');
  await attune(page, 'flush');

  await expect.poll(async () => (await collected(request)).map((event) => event.name)).toContain('after');
  const after = await anonymousId(page);
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  // Longer than the flush interval and the retries: anything still queued would have left by now.
  await page.waitForTimeout(2000);
  const events = await collected(request);
  expect(events.map((event) => event.name)).toEqual(['after']);
  expect(events[0]?.anonymousId).toBe(after);
});

test('closing the page after a withdrawal and a new grant sends nothing from before the withdrawal', async ({ context, page, request }) => {
  const before = await browsedOffline(page, request);
  await attune(page, 'consent', 'deny');
  await expect.poll(() => databaseNames(page)).not.toContain('attune');
  await attune(page, 'consent', 'grant');
  await setCollector(request, 'up');
  await attune(page, 'track', 'after');

  // The visitor leaves: the page sends what it holds as it goes.
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await page.close();
  await expect.poll(async () => (await collected(request)).map((event) => event.name)).toContain('after');

  // The next page view sends whatever is still queued.
  const next = await context.newPage();
  await next.goto('/e2e/delivery.html');
  await tagReady(next);
  await attune(next, 'flush');
  await next.waitForTimeout(1500);
  const events = await collected(request);
  expect(events.map((event) => event.name).filter((name) => name !== 'after')).toEqual([]);
  expect(events.some((event) => event.anonymousId === before)).toBe(false);
});

test('commands queued before the tag loads keep their order: a withdrawal in the queue is final', async ({ page, request }) => {
  await page.goto('/e2e/queued-withdrawal.html');
  await tagReady(page);
  await expect.poll(async () => (await collected(request)).map((event) => event.name)).toContain('after');
  await page.waitForTimeout(1500);
  const events = await collected(request);
  expect(events.map((event) => event.name)).toEqual(['after']);
  expect(events[0]?.anonymousId).toBe(await anonymousId(page));
});
