import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.E2E_PORT ?? 4815);
// The Next.js example starts (and builds, once) only for a run that includes its spec.
const specs = process.argv.filter((arg) => /\.spec\.ts$/.test(arg));
const withNext = specs.length === 0 || specs.some((spec) => spec.includes('next-shop'));

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
  webServer: [
    {
      // Loopback only; --exit-after makes sure the server never outlives a stuck run.
      command: `node examples/collector/server.mjs --port ${port} --events-file test-results/e2e-events.ndjson --exit-after 1800 --quiet`,
      cwd: repo,
      url: `http://127.0.0.1:${port}/health`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
    ...(withNext ? [{
      // The Next.js example on the next port, built first when its sources changed (once from a fresh clone).
      command: `node scripts/next-shop.mjs --port ${port + 1} --collector http://127.0.0.1:${port} --exit-after 1800 --quiet`,
      cwd: repo,
      url: `http://127.0.0.1:${port + 1}/product/health`,
      reuseExistingServer: false,
      timeout: 240_000,
    }] : []),
  ],
});
