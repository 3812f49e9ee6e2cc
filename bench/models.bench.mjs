// Models benchmark: scoring a logistic regression (target ≤ 1 µs) and a 100-tree depth-6 ensemble
// (target ≤ 10 µs), in Node and in Chromium (the same workload, models-workload.mjs, bundled by
// esbuild). Run after `npm run build`:  node bench/models.bench.mjs
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium); without one, Node only.
// Numbers are printed as a table; nothing here asserts on time.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelWorkload } from './models-workload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const entry = resolve(here, '../packages/core/dist/index.js');
if (!existsSync(entry)) {
  console.error('models.bench: packages/core/dist is missing: build first (npm run build).');
  process.exit(1);
}
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The workload's rows in Chromium, or the reason there are none. */
async function inChromium() {
  if (!existsSync(CHROMIUM_PATH)) return `no Chromium at ${CHROMIUM_PATH}`;
  const { build } = await import('esbuild');
  const { chromium } = await import('@playwright/test');
  const bundled = await build({
    stdin: {
      contents: `import * as core from ${JSON.stringify(entry)}; import { modelWorkload } from './models-workload.mjs'; globalThis.runModels = () => modelWorkload(core);`,
      resolveDir: here,
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundled.outputFiles[0].text });
    return await page.evaluate(() => globalThis.runModels());
  } finally {
    await browser.close();
  }
}

const node = modelWorkload(await import(entry));
let browser;
try {
  browser = await inChromium();
} catch (error) {
  browser = `Chromium failed: ${error.message.split('\n')[0]}`;
}

const show = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
console.log('# Models benchmark\n');
console.log(`- date: ${new Date().toISOString()}; node ${process.version} (${process.platform}/${process.arch}); 1,000 inputs × 20, median of 9 runs`);
if (typeof browser === 'string') console.log(`- Chromium: skipped (${browser})`);
console.log('');
console.log('| measure | Node | Chromium | target |');
console.log('| --- | ---: | ---: | ---: |');
node.forEach(([name, ns, target], i) => {
  const chromium = typeof browser === 'string' ? 'n/a' : show(browser[i][1]);
  console.log(`| ${name} | ${show(ns)} | ${chromium} | ${target === null ? '' : `≤ ${show(target)}`} |`);
});
