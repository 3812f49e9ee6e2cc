import { expect, type APIRequestContext, type Page } from '@playwright/test';

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

export async function setCollector(request: APIRequestContext, mode: 'up' | 'down' | 'fail'): Promise<void> {
  const response = await request.post('/_control', { data: { mode } });
  expect(response.ok()).toBe(true);
}

export async function databaseNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
}

/** Number of events waiting in the outgoing IndexedDB queue. */
export async function queuedEventCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('attune');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('queue').objectStore('queue').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
  );
}

/** Waits until the tag has started and rendered (its client is ready). */
export async function tagReady(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as { attune?: { client?: unknown } }).attune?.client === 'object');
  await page.evaluate(() => (window as unknown as { attune: { client: { ready: Promise<void> } } }).attune.client.ready);
}
