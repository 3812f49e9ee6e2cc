// Runs a benchmark workload (a module exporting `workload(core)`, which returns rows
// [measure, median ns, target ns or null]) in Node and, bundled by esbuild, in Chromium, and prints
// the rows as a table. Used by models.bench.mjs and recommend.bench.mjs. Run after `npm run build`.
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium); without one, Node only.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = resolve(here, '../packages/core/dist/index.js');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The workload's rows in Chromium, or the reason there are none. */
async function inChromium(file, name) {
  if (!existsSync(CHROMIUM_PATH)) return `no Chromium at ${CHROMIUM_PATH}`;
  const { build } = await import('esbuild');
  const { chromium } = await import('@playwright/test');
  const bundled = await build({
    stdin: {
      contents: `import * as core from ${JSON.stringify(entry)}; import { ${name} } from './${file}'; globalThis.runWorkload = () => ${name}(core);`,
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
    return await page.evaluate(() => globalThis.runWorkload());
  } finally {
    await browser.close();
  }
}

const show = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

/** Runs `name` of bench/`file` in Node and Chromium and prints `title`, the `notes` lines and the table. */
export async function benchNodeAndChromium({ file, name, title, notes }) {
  if (!existsSync(entry)) {
    console.error(`${file}: packages/core/dist is missing: build first (npm run build).`);
    process.exit(1);
  }
  const workload = (await import(`./${file}`))[name];
  const node = workload(await import(entry));
  let browser;
  try {
    browser = await inChromium(file, name);
  } catch (error) {
    browser = `Chromium failed: ${error.message.split('\n')[0]}`;
  }
  console.log(`# ${title}\n`);
  console.log(`- date: ${new Date().toISOString()}; node ${process.version} (${process.platform}/${process.arch}); ${notes}`);
  if (typeof browser === 'string') console.log(`- Chromium: skipped (${browser})`);
  console.log('');
  console.log('| measure | Node | Chromium | target |');
  console.log('| --- | ---: | ---: | ---: |');
  node.forEach(([measure, ns, target], i) => {
    const chromium = typeof browser === 'string' ? 'n/a' : show(browser[i][1]);
    console.log(`| ${measure} | ${show(ns)} | ${chromium} | ${target === null ? '' : `≤ ${show(target)}`} |`);
  });
}
