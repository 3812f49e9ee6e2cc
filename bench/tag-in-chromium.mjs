// What the benchmarks that run the built tag in Chromium share: where the tag and the browser are,
// the browser's flags, and a preflight that says clearly what is missing before anything starts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TAG_DIR = resolve(repo, 'packages/tag/dist');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Exits with a message naming `bench` when the tag is not built or there is no Chromium; else Playwright's chromium. */
export async function preflight(bench) {
  const fail = (message) => {
    console.error(`\n${bench}: ${message}\n`);
    process.exit(1);
  };
  if (!existsSync(join(TAG_DIR, 'attune.min.js'))) fail(`${TAG_DIR}/attune.min.js is missing: build first (npm run build, or npm run bench which builds).`);
  if (!existsSync(CHROMIUM_PATH)) fail(`no Chromium at ${CHROMIUM_PATH}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
  return (await import('@playwright/test')).chromium;
}
