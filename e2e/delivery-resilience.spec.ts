import { expect, test, type Page } from '@playwright/test';
import { attune, collected, expectEachOnce, queuedEventCount, setCollector, tagReady, trackMany } from './helpers.js';

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

test.beforeEach(async ({ request }) => {
  await request.delete('/events');
});

async function openGranted(page: Page): Promise<void> {
  await page.goto('/e2e/delivery.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
}

for (const [label, mode, options] of [
  ['answers 500 for a while', 'fail', { status: 500, count: 3 }],
  ['answers 429 with Retry-After', 'fail', { status: 429, retryAfter: 1, count: 2 }],
  ['hangs without answering', 'hang', { ms: 20_000, count: 1 }],
  ['drops connections for a while', 'down', { count: 3 }],
] as const) {
  test(`every event arrives exactly once when the collector ${label}`, async ({ page, request }) => {
    await setCollector(request, mode, options);
    await openGranted(page);
    await trackMany(page, 'resilient', 30);
    await expect.poll(async () => (await collected(request, false)).length, { timeout: 25_000 }).toBe(30);
    const raw = await collected(request);
    expectEachOnce(raw, names('resilient', 30));
    await expect.poll(() => queuedEventCount(page)).toBe(0);
  });
}

test('events tracked offline are sent when the browser is back online', async ({ page, context, request }) => {
  await openGranted(page);
  await context.setOffline(true);
  await trackMany(page, 'offline', 5);
  await page.waitForTimeout(800);
  expect(await collected(request)).toEqual([]);
  expect(await queuedEventCount(page)).toBe(5);
  await context.setOffline(false);
  await expect.poll(async () => (await collected(request)).length).toBe(5);
  expectEachOnce(await collected(request), names('offline', 5));
});

test('events still queued when the tab closes are delivered on the next visit', async ({ context, request }) => {
  await setCollector(request, 'down');
  const first = await context.newPage();
  await openGranted(first);
  await trackMany(first, 'left', 4);
  await expect.poll(() => queuedEventCount(first)).toBe(4);
  await first.close();
  await setCollector(request, 'up');

  const next = await context.newPage();
  await next.goto('/e2e/delivery.html');
  await expect.poll(async () => (await collected(request)).length).toBe(4);
  expectEachOnce(await collected(request), names('left', 4));
});

test('a collector blocked for 10,000 events never grows the queue past its cap, and the page keeps working', async ({ page, request }) => {
  await setCollector(request, 'down');
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await openGranted(page);
  for (let round = 0; round < 10; round++) await trackMany(page, `flood${round}`, 1000);
  await page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush().catch(() => undefined));
  const queued = await queuedEventCount(page);
  expect(queued).toBeLessThanOrEqual(500);
  expect(queued).toBeGreaterThan(0);
  const dropped = await page.evaluate(() => (window as unknown as { attune: { client: { getSnapshot(): { diagnostics: { droppedEvents: number } } } } }).attune.client.getSnapshot().diagnostics.droppedEvents);
  expect(dropped).toBe(10_000 - queued);
  expect(warnings.some((text) => text.includes('queue-overflow'))).toBe(true);
  await page.locator('#ping').click();
  await expect(page.locator('#ping')).toHaveText('pong');

  // Once the collector is back, leaving the page and the next page view send the kept events:
  // exactly the newest ones, each at least once, and any repeat carries the same id.
  await setCollector(request, 'up');
  await page.reload();
  await expect.poll(async () => (await collected(request, false)).length, { timeout: 20_000 }).toBe(queued);
  const unique = (await collected(request, false)).map((e) => e.name);
  expect(unique.sort()).toEqual(Array.from({ length: queued }, (_, i) => `flood9-${1000 - queued + i}`).sort());
  const raw = await collected(request);
  const idsByName = new Map<string, Set<string>>();
  for (const event of raw) idsByName.set(event.name, (idsByName.get(event.name) ?? new Set()).add(event.id));
  expect([...idsByName.values()].every((ids) => ids.size === 1)).toBe(true);
});
