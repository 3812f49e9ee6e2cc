import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4815);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  // One dev collector serves every test and each test resets it: run them one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: `${repo}reports/playwright.json` }]],
  outputDir: `${repo}test-results/e2e`,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    // Loopback only; --exit-after makes sure the server never outlives a stuck run.
    command: `node examples/collector/server.mjs --port ${port} --events-file test-results/e2e-events.ndjson --exit-after 1800 --quiet`,
    cwd: repo,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
