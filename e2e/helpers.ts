import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { recordSlotFrames } from './no-flicker.js';

export interface CollectedEvent {
  id: string;
  name: string;
  type: string;
  anonymousId: string;
  properties: Record<string, unknown>;
}

/** Everything the collector received, duplicates included (`raw`), or unique events. */
export async function collected(request: APIRequestContext, raw = true): Promise<CollectedEvent[]> {
  const response = await request.get(`/events${raw ? '?raw=1' : ''}`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as CollectedEvent[];
}

export interface CollectorMode {
  status?: number;
  retryAfter?: number;
  ms?: number;
  /** Only the next N requests misbehave. */
  count?: number;
}

export async function setCollector(request: APIRequestContext, mode: 'up' | 'down' | 'fail' | 'hang', options: CollectorMode = {}): Promise<void> {
  const response = await request.post('/_control', { data: { mode, ...options } });
  expect(response.ok()).toBe(true);
}

export async function databaseNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
}

/** Every record of one store of the SDK's IndexedDB database (`key`: that record only, in a list). */
export async function storedRecords(page: Page, store: string, key?: string): Promise<unknown[]> {
  return page.evaluate(
    ([store, key]) =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('attune');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const objects = db.transaction(store!).objectStore(store!);
          const request = key === undefined ? objects.getAll() : objects.get(key);
          request.onsuccess = () => {
            db.close();
            resolve(key === undefined ? (request.result as unknown[]) : [request.result]);
          };
        };
      }),
    [store, key] as const,
  );
}

/**
 * Changes one store of the SDK's IndexedDB database from outside the SDK (another script, a person
 * in DevTools): puts `put.value` at `put.key`, or clears the whole store.
 */
export async function changeStore(page: Page, store: string, put?: { key: string; value: unknown }): Promise<void> {
  await page.evaluate(
    ([store, put]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('attune');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, 'readwrite');
          if (put) tx.objectStore(store).put(put.value, put.key);
          else tx.objectStore(store).clear();
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [store, put] as const,
  );
}

/** Number of events waiting in the outgoing IndexedDB queue. */
export async function queuedEventCount(page: Page): Promise<number> {
  // Events are stored in chunks (one record per burst of track() calls).
  const chunks = (await storedRecords(page, 'queue')) as { events: unknown[] }[];
  return chunks.reduce((sum, chunk) => sum + chunk.events.length, 0);
}

/** Waits until the tag has started and rendered (its client is ready). */
export async function tagReady(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as { attune?: { client?: unknown } }).attune?.client === 'object');
  await page.evaluate(() => (window as unknown as { attune: { client: { ready: Promise<void> } } }).attune.client.ready);
}

/** Runs `attune(...command)` in the page (the tag's command API). */
export async function attune(page: Page, ...command: unknown[]): Promise<void> {
  await page.evaluate((args) => (window as unknown as { attune: (...a: unknown[]) => void }).attune(...args), command);
}

/** Tracks `count` events named `${prefix}-${i}` from the page, in one synchronous burst. */
export async function trackMany(page: Page, prefix: string, count: number): Promise<void> {
  await page.evaluate(
    ({ prefix, count }) => {
      const attune = (window as unknown as { attune: (...a: unknown[]) => void }).attune;
      for (let i = 0; i < count; i++) attune('track', `${prefix}-${i}`);
    },
    { prefix, count },
  );
}

/** The names trackMany gives: `${prefix}-0` to `${prefix}-${count - 1}`. */
export const trackedNames = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

/**
 * Opens `url` and grants consent once the tag is there. Not waiting for the load event: a held-back
 * part (an async script the tag added) delays it.
 */
export async function openGranted(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await tagReady(page);
  await attune(page, 'consent', 'grant');
}

/** The visitor's anonymous id on `page` (the tag's client), null before consent. */
export const anonymousId = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as unknown as { attune: { client: { getSnapshot(): { profile: { anonymousId: string | null } } } } }).attune.client.getSnapshot().profile.anonymousId);

/** Holds back the requests matching `pattern` until the returned function is called. */
export async function holdBack(page: Page, pattern: string): Promise<() => void> {
  let release = (): void => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/**
 * A page of `url` whose part `file` (beside the tag, e.g. `attune-sync.min.js`) cannot load: three
 * events tracked there (`kept-0` to `kept-2`) stay queued, with a warning naming the file, nothing
 * thrown into the page when it is left, and nothing sent. Then the next page of `url`, where the
 * file loads: returns what the collector got from it, and the first page's warnings.
 */
export async function blockedPartThenNextPage(context: BrowserContext, request: APIRequestContext, file: string, url: string): Promise<{ events: CollectedEvent[]; warnings: string[] }> {
  const first = await context.newPage();
  const warnings: string[] = [];
  first.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await first.route(`**/tag/${file}`, (route) => route.abort());
  await openGranted(first, url);
  await trackMany(first, 'kept', 3);
  await expect.poll(() => warnings.some((warning) => warning.includes(file))).toBe(true);
  await expect.poll(() => queuedEventCount(first)).toBe(3);
  const errors: string[] = [];
  first.on('pageerror', (error) => errors.push(error.message));
  await first.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await first.waitForTimeout(500);
  expect(errors).toEqual([]);
  expect(await collected(request)).toEqual([]);
  await first.close();

  const next = await context.newPage();
  await next.goto(url);
  await expect.poll(async () => (await collected(request)).length, { timeout: 10_000 }).toBe(3);
  const events = await collected(request);
  expectEachOnce(events, trackedNames('kept', 3));
  return { events, warnings };
}

/** Asserts that every delivery of every event id happened exactly once. */
export function expectEachOnce(events: CollectedEvent[], names: string[]): void {
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size, 'no event id delivered twice').toBe(ids.length);
  expect(events.map((e) => e.name).sort()).toEqual([...names].sort());
}

/**
 * Asserts that exactly `names` were delivered, each under one id: a repeat (a page-hide send whose
 * answer the closed page never read, then the next page view) carries the same id, so the
 * collector keeps it once.
 */
export function expectDeliveredOnce(events: CollectedEvent[], names: string[]): void {
  const idsByName = new Map<string, Set<string>>();
  for (const event of events) idsByName.set(event.name, (idsByName.get(event.name) ?? new Set()).add(event.id));
  expect([...idsByName.keys()].sort()).toEqual([...names].sort());
  expect([...idsByName].filter(([, ids]) => ids.size > 1), 'an event delivered under two ids').toEqual([]);
}

/** A visitor opens the demo shop and clicks Accept on the consent banner. */
export async function acceptOnShop(page: Page, path = '/shop/'): Promise<void> {
  await page.goto(path);
  await tagReady(page);
  await captureReady(page);
  await page.getByRole('button', { name: 'Accept' }).click();
}

/** Waits for auto-capture (attune-capture.min.js), which the tag loads once the slots are filled. */
export async function captureReady(page: Page): Promise<void> {
  await page.waitForFunction(() => '__attuneCapture' in window);
}

/** The visitor views the first `count` products; waits until the profile shows them. */
export async function viewProducts(page: Page, count: number): Promise<void> {
  const views = page.getByRole('button', { name: 'View product' });
  for (let i = 0; i < count; i++) await views.nth(i).click();
  await expect(page.locator('#views')).toHaveText(String(count));
}

/** Console errors and uncaught exceptions of the page (React reports hydration and render problems there). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /hydrat/i.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** A framework example's spec: each test starts with no events, records slot frames from navigation start and ends without a console error. */
export function frameworkExampleTests(): void {
  let errors: string[] = [];
  test.beforeEach(async ({ page, request }) => {
    await request.delete('/events?from=now');
    errors = watchErrors(page);
    await recordSlotFrames(page);
  });
  test.afterEach(() => expect(errors).toEqual([]));
}

/** In a framework example: opens `url` and accepts the consent banner. */
export async function acceptInExample(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('#consent-banner')).toHaveCount(0);
}

/** In a framework example: views the first `count` products, each on its own product page, back to the shop after each. */
export async function viewProductPages(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await page.getByRole('button', { name: 'View product' }).nth(i).click();
    await expect(page.locator('#detail-title')).toBeVisible();
    await page.getByRole('link', { name: 'Back to the shop' }).click();
  }
  await expect(page.locator('#views')).toHaveText(String(count));
}

/**
 * Reloads a returning visitor's page on a device without the cached bundle, the network's copy
 * answered `ms` late; resolves once it has been served and half a second more has passed.
 */
export async function reloadWithLateBundle(page: Page, ms = 2000): Promise<void> {
  await changeStore(page, 'bundles');
  await page.route('**/bundles/shop.json', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
  const served = page.waitForResponse('**/bundles/shop.json');
  await page.reload();
  await served;
  await page.waitForTimeout(500);
}

/**
 * Serves the demo shop with a strict Content-Security-Policy: scripts only from the page's origin
 * plus the hash of its inline snippet (no 'unsafe-inline', no 'unsafe-eval'), connections to the
 * origin only. Returns the violations the page reports.
 */
export async function strictShop(page: Page): Promise<string[]> {
  const html = await (await page.request.get('/shop/')).text();
  const snippet = /<script>([^<]*)<\/script>/.exec(html)?.[1];
  expect(snippet, 'the shop has its inline snippet').toBeTruthy();
  const hash = createHash('sha256').update(snippet!).digest('base64');
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
  // Every load of the shop, whatever its query (the product panel adds ?product=...).
  await page.route((url) => url.pathname === '/shop/', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (violation: string) => void violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(v: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}
