import { expect, test } from '@playwright/test';
import { anonymousId, attune, collected, expectEachOnce, tagReady, trackMany } from './helpers.js';

test.beforeEach(async ({ request }) => {
  await request.delete('/events?from=now');
});

for (const tabs of [2, 5]) {
  test(`${tabs} tabs tracking at once deliver each event exactly once`, async ({ context, request }) => {
    const pages = await Promise.all(Array.from({ length: tabs }, () => context.newPage()));
    for (const page of pages) {
      await page.goto('/e2e/delivery.html');
      await tagReady(page);
    }
    await attune(pages[0]!, 'consent', 'grant');
    // The grant is remembered: the other tabs pick it up on their next page view.
    for (const page of pages.slice(1)) {
      await page.reload();
      await tagReady(page);
    }
    await Promise.all(pages.map((page, tab) => trackMany(page, `tab${tab}`, 40)));
    const expected = pages.flatMap((_, tab) => Array.from({ length: 40 }, (__, i) => `tab${tab}-${i}`));
    // This visitor's events only: a page an earlier test closed may still deliver its page-hide send.
    const visitor = await anonymousId(pages[0]!);
    const ours = async (raw: boolean) => (await collected(request, raw)).filter((event) => event.anonymousId === visitor);
    await expect.poll(async () => (await ours(false)).length, { timeout: 20_000 }).toBe(expected.length);
    await pages[0]!.waitForTimeout(1000);
    expectEachOnce(await ours(true), expected);
  });
}
