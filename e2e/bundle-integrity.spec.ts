import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { tagReady } from './helpers.js';

const OWN_HEADLINE = 'The page’s own headline';
const SIGNED_HEADLINE = 'Headline from the signed bundle';
const BUNDLE = '/e2e/bundles/signed.json';
const signedText = readFileSync(new URL('./pages/bundles/signed.json', import.meta.url), 'utf8');
const demoPrivateKey = createPrivateKey({ key: JSON.parse(readFileSync(new URL('../examples/keys/demo-private.jwk', import.meta.url), 'utf8')) as import('node:crypto').JsonWebKey, format: 'jwk' });

/** Signs like `attune sign`, with the DEMO-ONLY key the test pages trust. */
function demoSign(text: string): string {
  return sign('sha256', Buffer.from(text), { key: demoPrivateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** Records the page's warnings and uncaught errors (the host page must never see an exception). */
function watch(page: Page): { warnings: string[]; pageErrors: Error[] } {
  const seen = { warnings: [] as string[], pageErrors: [] as Error[] };
  page.on('console', (message) => {
    if (message.type() === 'warning') seen.warnings.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(error));
  return seen;
}

type BundleState = { status: string; source?: string; version?: number | string; error?: { code: string } };

function bundleState(page: Page): Promise<BundleState> {
  return page.evaluate(() => {
    const { bundle } = (window as unknown as { attune: { client: { getSnapshot(): { bundle: BundleState } } } }).attune.client.getSnapshot();
    return { status: bundle.status, source: bundle.source, version: bundle.version, error: bundle.error && { code: bundle.error.code } } as BundleState;
  });
}

/** First visit: the visitor accepts, so the signed bundle is cached on the device. */
async function visitAndAccept(page: Page): Promise<void> {
  await page.goto('/e2e/signed-bundle.html');
  await tagReady(page);
  await page.evaluate(() => (window as unknown as { attune: (...args: unknown[]) => void }).attune('consent', 'grant'));
  await expect(page.locator('#hero')).toHaveText(SIGNED_HEADLINE);
  await expect.poll(() => cachedBundles(page)).toBe(1);
}

/** Bundles cached in the SDK's IndexedDB database (0 before it exists). */
function cachedBundles(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((db) => db.name === 'attune')) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('attune');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('bundles')) {
          db.close();
          resolve(0);
          return;
        }
        const count = db.transaction('bundles').objectStore('bundles').count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
      };
    });
  });
}

/** Rewrites the cached bundle record's own fields in IndexedDB (its signed text untouched), as anything on the device could. */
async function tamperCachedRecord(page: Page, fields: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    (fields) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('attune');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('bundles', 'readwrite');
          const store = tx.objectStore('bundles');
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            if (cursor.result) cursor.result.update({ ...cursor.result.value, ...fields });
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    fields,
  );
}

/** Serves `text`, signed with the demo key, in place of the signed bundle from now on. */
async function publishSigned(page: Page, text: string): Promise<void> {
  await page.route(`**${BUNDLE}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: text }));
  await page.route(`**${BUNDLE}.sig`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: demoSign(text) }));
}

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

test('a signed bundle is accepted, cached, and revalidated with a 304 on the next page', async ({ page }) => {
  const seen = watch(page);
  await visitAndAccept(page);
  expect(await bundleState(page)).toMatchObject({ status: 'ready', source: 'network', version: 5 });

  const revalidation = page.waitForResponse((response) => response.url().endsWith(BUNDLE));
  await page.reload();
  await tagReady(page);
  const response = await revalidation;
  expect(response.status()).toBe(304);
  expect(await response.request().headerValue('if-none-match')).toMatch(/^".+"$/);
  await expect(page.locator('#hero')).toHaveText(SIGNED_HEADLINE);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'matched');
  expect(await bundleState(page)).toMatchObject({ status: 'ready', source: 'cache', version: 5 });
  expect(seen.warnings.filter((text) => text.includes('bundle'))).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
});

test('a tampered copy is rejected with a clear warning and the last good bundle keeps serving', async ({ page }) => {
  const seen = watch(page);
  await visitAndAccept(page);

  // Someone changes the bundle on the CDN without the private key: the signature no longer matches.
  const tampered = signedText.replace(SIGNED_HEADLINE, 'Click here to claim your prize');
  await page.route(`**${BUNDLE}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: tampered }));
  for (let visit = 0; visit < 2; visit++) {
    await page.reload();
    await tagReady(page);
    await expect.poll(async () => (await bundleState(page)).error?.code).toBe('bundle-signature-invalid');
    await expect(page.locator('#hero')).toHaveText(SIGNED_HEADLINE);
    expect(await bundleState(page)).toMatchObject({ status: 'ready', source: 'cache', version: 5 });
  }
  expect(seen.warnings.some((text) => text.includes('bundle-signature-invalid') && text.includes('does not match') && text.includes('keeps serving'))).toBe(true);
  expect(seen.pageErrors).toEqual([]);
});

test('a tampered bundle on a first visit is not used: the page keeps its own content', async ({ page }) => {
  const seen = watch(page);
  await page.route(`**${BUNDLE}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: signedText.replace('"version": 5', '"version": 6') }));
  await page.goto('/e2e/signed-bundle.html');
  await tagReady(page);
  await page.evaluate(() => (window as unknown as { attune: (...args: unknown[]) => void }).attune('consent', 'grant'));
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-no-bundle');
  await expect(page.locator('#hero')).toHaveText(OWN_HEADLINE);
  expect(await bundleState(page)).toMatchObject({ status: 'failed', error: { code: 'bundle-signature-invalid' } });
  expect(seen.pageErrors).toEqual([]);
});

test('a correctly signed bundle with a lower version is refused as a rollback', async ({ page }) => {
  const seen = watch(page);
  await visitAndAccept(page);

  // An older, genuinely signed bundle served again (a replay): version 4 after version 5.
  await publishSigned(page, signedText.replace('"version": 5', '"version": 4').replace(SIGNED_HEADLINE, 'Last season’s headline'));
  await page.reload();
  await tagReady(page);
  await expect.poll(async () => (await bundleState(page)).error?.code).toBe('bundle-rollback');
  await expect(page.locator('#hero')).toHaveText(SIGNED_HEADLINE);
  expect(seen.warnings.some((text) => text.includes('bundle-rollback') && text.includes('version 4 is lower than version 5'))).toBe(true);
  expect(seen.pageErrors).toEqual([]);
});

test('a forged version in the cached record does not block the next signed bundle', async ({ page }) => {
  const seen = watch(page);
  await visitAndAccept(page);

  // Something on the device raises the cached record's version: only its signed text is trusted.
  await tamperCachedRecord(page, { version: 1e15, etag: '"forged"', storedAt: 1e15 });
  const newer = signedText.replace('"version": 5', '"version": 6').replace(SIGNED_HEADLINE, 'Headline of version 6');
  await publishSigned(page, newer);
  await page.reload();
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveText('Headline of version 6');
  expect(await bundleState(page)).toMatchObject({ status: 'ready', source: 'network', version: 6 });
  expect(seen.warnings.filter((text) => text.includes('bundle'))).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
});

test('an expired signed bundle does not replace the last good one, which stays cached', async ({ page }) => {
  const seen = watch(page);
  await visitAndAccept(page);

  const expired = signedText
    .replace('"version": 5', '"version": 6')
    .replace('"generatedAt": "2026-11-23T10:00:00Z"', '"generatedAt": "2020-01-01T00:00:00Z"')
    .replace('"expiresAt": "2099-01-01T00:00:00Z"', '"expiresAt": "2020-02-01T00:00:00Z"')
    .replace(SIGNED_HEADLINE, 'Stale headline');
  await publishSigned(page, expired);
  for (let visit = 0; visit < 2; visit++) {
    await page.reload();
    await tagReady(page);
    await expect.poll(async () => (await bundleState(page)).error?.code).toBe('bundle-expired');
    await expect(page.locator('#hero')).toHaveText(SIGNED_HEADLINE);
    await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'matched');
    expect(await bundleState(page)).toMatchObject({ status: 'ready', source: 'cache', version: 5 });
  }
  expect(seen.warnings.some((text) => text.includes('bundle-expired') && text.includes('2020-02-01T00:00:00Z') && text.includes('(version 5, from cache) keeps serving'))).toBe(true);

  // The expired copy raised no floor: a fixed version 5 is accepted.
  await page.unrouteAll();
  await publishSigned(page, signedText.replace(SIGNED_HEADLINE, 'Fixed headline, still version 5'));
  await page.reload();
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveText('Fixed headline, still version 5');
  expect(await bundleState(page)).toMatchObject({ status: 'ready', source: 'network', version: 5 });
  expect(seen.warnings.some((text) => text.includes('bundle-rollback'))).toBe(false);
  expect(seen.pageErrors).toEqual([]);
});

test('an expired bundle yields the default content, and the reason says it expired', async ({ page }) => {
  const seen = watch(page);
  await page.goto('/e2e/signed-bundle.html?bundle=expired');
  await tagReady(page);
  await page.evaluate(() => (window as unknown as { attune: (...args: unknown[]) => void }).attune('consent', 'grant'));
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-expired');
  await expect(page.locator('#hero')).toHaveText(OWN_HEADLINE);
  expect(seen.warnings.some((text) => text.includes('bundle-expired') && text.includes('2020-02-01T00:00:00Z'))).toBe(true);
  expect(seen.pageErrors).toEqual([]);
});

test('a bundle over the size cap is refused with a warning naming its size and the cap', async ({ page }) => {
  const seen = watch(page);
  await page.goto('/e2e/signed-bundle.html?max=200');
  await tagReady(page);
  await expect(page.locator('#hero')).toHaveAttribute('data-attune-reason', 'default-no-bundle');
  await expect(page.locator('#hero')).toHaveText(OWN_HEADLINE);
  expect(await bundleState(page)).toMatchObject({ status: 'failed', error: { code: 'bundle-invalid' } });
  const size = Buffer.byteLength(signedText);
  expect(seen.warnings.some((text) => text.includes(`The bundle is ${size} bytes, over the cap of 200 (maxBundleBytes)`))).toBe(true);
  expect(seen.pageErrors).toEqual([]);
});
