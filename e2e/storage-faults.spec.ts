import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { attune, collected, tagReady, trackMany } from './helpers.js';

/*
 * Storage failing under a consented visitor, in a real browser: another tab of the site deletes
 * the database or opens it at a higher version (a newer deploy of the SDK), another script of the
 * site owns a database of the same name, localStorage refuses writes. Each time the visitor's
 * events still arrive, and nothing the SDK does surfaces as an error in the page.
 */

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

/** What the page hears: Attune's console warnings, and errors that escaped (uncaught or unhandled rejections). */
async function watch(page: Page) {
  const seen = { warnings: [] as string[], escaped: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('[attune]')) seen.warnings.push(message.text());
    // (A missing favicon is not the SDK's.)
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) seen.escaped.push(message.text());
  });
  page.on('pageerror', (error) => seen.escaped.push(error.message));
  await page.addInitScript(() => {
    window.addEventListener('unhandledrejection', (event) => console.error(`unhandled rejection: ${String(event.reason)}`));
  });
  return seen;
}

/** Tracks `count` events named `name` in one burst. */
async function track(page: Page, name: string, count: number): Promise<void> {
  await page.evaluate(
    ({ name, count }) => {
      for (let i = 0; i < count; i++) (window as unknown as { attune: (...a: unknown[]) => void }).attune('track', name);
    },
    { name, count },
  );
}

/** Tab A: the delivery page, consented, with three product views. */
async function consentedTab(page: Page) {
  const seen = await watch(page);
  await page.goto('/e2e/delivery.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await track(page, 'product_view', 3);
  return seen;
}

/** Another tab of the same site, without Attune, running `script` against the database. */
async function otherTab(page: Page, script: 'delete' | 'upgrade'): Promise<void> {
  await page.goto('/health');
  await page.evaluate(
    (script) =>
      new Promise<void>((resolve, reject) => {
        const request = script === 'delete' ? indexedDB.deleteDatabase('attune') : indexedDB.open('attune', 1000);
        request.onsuccess = () => {
          if (request.result) (request.result as IDBDatabase).close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      }),
    script,
  );
}

const count = (page: Page, name: string): Promise<number> =>
  page.evaluate((name) => (window as unknown as { attune: { client: { count(name: string): number } } }).attune.client.count(name), name);
const flush = (page: Page): Promise<void> => page.evaluate(() => (window as unknown as { attune: { client: { flush(): Promise<void> } } }).attune.client.flush());

/** Event names the collector received, each id once. */
async function deliveredNames(request: Parameters<typeof collected>[0]): Promise<string[]> {
  return (await collected(request, false)).map((event) => event.name);
}

/**
 * The story both tests share: tab A consented with three product views delivered, then another tab
 * runs `script`, then tab A tracks 300 events: all arrive, flush() resolves, and A's counts are right.
 */
async function trackAfterOtherTab({ context, request }: { context: BrowserContext; request: APIRequestContext }, script: 'delete' | 'upgrade') {
  const tab = await context.newPage();
  const seen = await consentedTab(tab);
  await expect.poll(async () => (await deliveredNames(request)).length).toBe(3);
  await otherTab(await context.newPage(), script);
  await track(tab, 'after', 300);
  await flush(tab);
  await expect.poll(async () => (await deliveredNames(request)).filter((name) => name === 'after').length, { timeout: 20_000 }).toBe(300);
  expect(await count(tab, 'product_view')).toBe(3);
  expect(await count(tab, 'after')).toBe(300);
  return { tab, seen };
}

test('another tab deletes the database: every later event arrives, and the next page counts all the views', async ({ context, request }) => {
  const { tab, seen } = await trackAfterOtherTab({ context, request }, 'delete');
  // The database was created again with the profile kept in memory.
  await track(tab, 'product_view', 2);
  await tab.waitForTimeout(300);
  await tab.reload();
  await tagReady(tab);
  expect(await count(tab, 'product_view')).toBe(5);
  expect(await count(tab, 'after')).toBe(300);
  expect(seen.warnings).toEqual([]);
  expect(seen.escaped).toEqual([]);
});

test('another tab opens the database at a higher version: every later event arrives from memory, with one warning', async ({ context, request }) => {
  const { seen } = await trackAfterOtherTab({ context, request }, 'upgrade');
  expect(seen.warnings).toHaveLength(1);
  expect(seen.warnings[0]).toContain('storage-unavailable: A newer Attune in another tab upgraded IndexedDB');
  expect(seen.escaped).toEqual([]);
});

test('another script of the site owns a database named "attune": events arrive from memory and its database is left alone', async ({ page, request }) => {
  const seen = await watch(page);
  await page.goto('/health');
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const request = indexedDB.open('attune', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('their-store');
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
      }),
  );
  await page.goto('/e2e/delivery.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await trackMany(page, 'view', 5);
  await expect.poll(async () => (await deliveredNames(request)).length).toBe(5);
  const theirs = await page.evaluate(
    () =>
      new Promise<{ version: number; stores: string[] }>((resolve) => {
        const request = indexedDB.open('attune');
        request.onsuccess = () => {
          const { version, objectStoreNames } = request.result;
          request.result.close();
          resolve({ version, stores: [...objectStoreNames] });
        };
      }),
  );
  expect(theirs).toEqual({ version: 1, stores: ['their-store'] });
  expect(seen.warnings).toHaveLength(1);
  expect(seen.warnings[0]).toContain('storage-unavailable: IndexedDB could not be opened');
  expect(seen.escaped).toEqual([]);
});

test('localStorage refuses writes: consent applies to this page with one warning, and is not remembered', async ({ page, request }) => {
  const seen = await watch(page);
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('/e2e/delivery.html');
  await tagReady(page);
  await attune(page, 'consent', 'grant');
  await trackMany(page, 'view', 5);
  await expect.poll(async () => (await deliveredNames(request)).length).toBe(5);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  expect(seen.warnings).toEqual(['[attune] storage-unavailable: localStorage refused a write: consent is not remembered after this page.']);

  await page.reload();
  await tagReady(page);
  const consent = await page.evaluate(() => (window as unknown as { attune: { client: { consent: { get(): { analytics: string } } } } }).attune.client.consent.get().analytics);
  expect(consent).toBe('unknown');
  expect(seen.escaped).toEqual([]);
});
