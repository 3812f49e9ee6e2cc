import { expect, test, type Page } from '@playwright/test';
import { expectNoFlicker, firstShown, recorded, recordSlotFrames, waitUntilPageTime } from './no-flicker.js';

/** The Vue example of docs/vue.md and the README (examples/vue-readme: their code, as it is), as an SPA and server-rendered. */
for (const path of ['/vue-readme/', '/vue-readme/ssr']) {
  test(`the Vue example of the README and docs/vue.md works as written (${path}): consent, three product views, a reload shows the personalized headline`, async ({ page }) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      // Failed requests are checked by URL below (the snippet's page has no favicon: the browser asks for one).
      if ((message.type() === 'error' || message.type() === 'warning') && !message.text().startsWith('Failed to load resource')) problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()}: ${response.url()}`);
    });
    const headline = page.getByRole('heading', { level: 1 });

    await page.goto(path);
    await expect(headline).toHaveText('Welcome to Attune Outfitters');
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
    for (let i = 1; i <= 3; i++) {
      await page.getByRole('button', { name: 'View product' }).click();
      await expect(page.getByText(`Products viewed: ${i}`)).toBeVisible();
    }

    await recordSlotFrames(page);
    await page.reload();
    await expect(headline).toHaveText('Welcome back! Your picks are waiting');
    await expect(page.getByText('Products viewed: 3')).toBeVisible();
    await waitUntilPageTime(page, 1000);
    await expectNoFlicker(page, { 'home.hero': 'Welcome to Attune Outfitters' });
    expect(firstShown((await recorded(page)).frames, 'home.hero')?.text).toBe('Welcome back! Your picks are waiting');
    expect(problems).toEqual([]);
  });
}
