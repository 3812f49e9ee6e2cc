// Large bundle benchmark in real Chromium: how long the main thread is held while a ~1 MB signed
// bundle is parsed, validated and compiled, on a first visit (network) and a returning one (the
// IndexedDB cache, then a 304), and what each step costs alone.
// Run after `npm run build`:  node bench/bundle.bench.mjs   (npm run bench does both)
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
//
// Long tasks are the Long Tasks API's (PerformanceObserver 'longtask': tasks of 50 ms or more).
// Pages are served by Playwright routes on http://localhost (a secure context: WebCrypto checks the
// signature). Every run opens a fresh browser context, so code runs cold, as on a real page load.
// Nothing here asserts on time; the numbers depend on the machine and its load (printed).
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBundle } from './generate-bundle.mjs';
import { prng } from './prng.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TAG_FILE = resolve(repo, 'packages/tag/dist/attune.min.js');
const CORE = resolve(repo, 'packages/core/dist');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ORIGIN = 'http://localhost:9';
const RUNS = 5;
const SHAPE = { experiences: 1_500, slots: 100, segments: 3_000 }; // about 1.08 MB of JSON

function fail(message) {
  console.error(`\nbundle.bench: ${message}\n`);
  process.exit(1);
}
if (!existsSync(TAG_FILE) || !existsSync(resolve(CORE, 'bundle/run-in-slices.js'))) fail('the build is missing: build first (npm run build, or npm run bench which builds).');
if (!existsSync(CHROMIUM_PATH)) fail(`no Chromium at ${CHROMIUM_PATH}: install it or set CHROMIUM_PATH.`);
const { chromium } = await import('@playwright/test');
const esbuild = await import('esbuild');

// ---- the bundle, signed with the demo key (DEMO ONLY, examples/keys/) ----------------------------
const text = JSON.stringify(generateBundle(prng(0xb16), { ...SHAPE, id: 'large' }));
const privateKey = createPrivateKey({ key: JSON.parse(readFileSync(resolve(repo, 'examples/keys/demo-private.jwk'), 'utf8')), format: 'jwk' });
const signature = sign('sha256', Buffer.from(text), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const publicKey = JSON.stringify(JSON.parse(readFileSync(resolve(repo, 'examples/keys/demo-public.jwk'), 'utf8')));
const ETAG = '"large-1"';

// The core's steps on their own, bundled from packages/core/dist for the page.
const { outputFiles } = await esbuild.build({
  stdin: {
    contents: ['bundle/validate-bundle.js', 'bundle/device-check.js', 'bundle/check-steps.js', 'rules/attune-operators.js', 'decide/compile-standalone.js', 'bundle/run-in-slices.js'].map((file) => `export * from ${JSON.stringify(resolve(CORE, file))};`).join('\n'),
    resolveDir: repo,
  },
  bundle: true,
  format: 'iife',
  globalName: 'core',
  target: 'es2020',
  minify: true,
  write: false,
  logLevel: 'silent',
});
const coreScript = outputFiles[0].text;

const LONG_TASKS = `<script>window.longTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask' });</script>`;
const PAGES = {
  '/steps.html': `<!doctype html>${LONG_TASKS}<script src="/core.js"></script>`,
  // The tag loaded synchronously, so the task that evaluates it (not the bundle's) ends before the mark.
  '/tag.html': `<!doctype html>${LONG_TASKS}<script src="/attune.min.js" data-bundle="/large.json" data-capture="false" data-auto-page="false" data-bundle-key='${publicKey}'></script><script>performance.mark('tag-evaluated')</script><h1 data-attune-slot="slot-1">Own headline</h1>`,
};

async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (PAGES[pathname]) return route.fulfill({ contentType: 'text/html', body: PAGES[pathname] });
    if (pathname === '/core.js') return route.fulfill({ contentType: 'text/javascript', body: coreScript });
    // The tag and the parts it loads from beside itself (the signature check, for data-bundle-key).
    if (/^\/attune(-[a-z-]+)?\.min\.js$/.test(pathname)) return route.fulfill({ contentType: 'text/javascript', path: resolve(dirname(TAG_FILE), pathname.slice(1)) });
    if (pathname === '/large.json.sig') return route.fulfill({ contentType: 'text/plain', body: signature });
    if (pathname !== '/large.json') return route.fulfill({ status: 404, body: '' });
    if (route.request().headers()['if-none-match'] === ETAG) return route.fulfill({ status: 304, headers: { etag: ETAG } });
    return route.fulfill({ contentType: 'application/json', headers: { etag: ETAG }, body: text });
  });
  return { context, page };
}

/** Each step alone in a fresh page: parse, validate, compile in one go; then the compile in slices in another. */
async function measureSteps(browser) {
  const one = await newPage(browser);
  await one.page.goto(`${ORIGIN}/steps.html`);
  const steps = await one.page.evaluate(async () => {
    const json = await (await fetch('/large.json')).text();
    const time = (run) => {
      const start = performance.now();
      const value = run();
      return [value, performance.now() - start];
    };
    const [value, parse] = time(() => JSON.parse(json));
    const [, validateZod] = time(() => core.validateBundle(value));
    const [bundle, validate] = time(() => core.finish(core.deviceCheckSteps(value)));
    const [, compile] = time(() => core.compileBundle(bundle));
    return { parse, validateZod, validate, compile };
  });
  await one.context.close();

  const two = await newPage(browser);
  await two.page.goto(`${ORIGIN}/steps.html`);
  const sliced = await two.page.evaluate(async () => {
    const value = JSON.parse(await (await fetch('/large.json')).text());
    // A slice is the steps run in one task: a microtask queued by its first step runs once it ends.
    const slices = [];
    function* timed(steps) {
      let inSlice = false;
      let start = 0;
      let end = 0;
      for (;;) {
        if (!inSlice) {
          if (end > 0) slices.push(end - start);
          inSlice = true;
          queueMicrotask(() => (inSlice = false));
          start = performance.now();
        }
        const step = steps.next();
        end = performance.now();
        if (step.done) {
          slices.push(end - start);
          return step.value;
        }
        yield;
      }
    }
    // What the client runs: the device check, then the compile, in slices.
    await core.runInSlices(timed(core.checkSteps(value, core.EMPTY_RULE_HOST)), () => performance.now());
    slices.sort((a, b) => a - b);
    return { slices: slices.length, medianSlice: slices[Math.floor(slices.length / 2)], longestSlice: slices.at(-1) };
  });
  await two.context.close();
  return { ...steps, ...sliced };
}

/** The longest task after the tag's own evaluation, and how many were long, until `done` resolves and the page is quiet. */
async function bundleTasks(page, done) {
  await page.waitForFunction(() => typeof window.attune?.client === 'object');
  await page.evaluate(done);
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const after = performance.getEntriesByName('tag-evaluated')[0].startTime;
    const tasks = window.longTasks.filter((task) => task.start >= after).map((task) => task.duration);
    return { longest: Math.max(0, ...tasks), long: tasks.length };
  });
}

/** First visit (the network copy, before consent), then a returning one: the cached copy, then a 304. */
async function measureTag(browser) {
  const { context, page } = await newPage(browser);
  await page.goto(`${ORIGIN}/tag.html`);
  const first = await bundleTasks(page, () => window.attune.client.ready);
  await page.evaluate(() => window.attune('consent', 'grant'));
  await page.waitForFunction(async () => (await indexedDB.databases()).some((db) => db.name === 'attune'));
  await page.waitForTimeout(500); // The bundle is cached.
  await page.reload();
  const returning = await bundleTasks(page, () => window.attune.client.ready);
  const state = await page.evaluate(() => window.attune.client.getSnapshot().bundle);
  await context.close();
  if (state.status !== 'ready' || state.source !== 'cache') throw new Error(`the returning visit did not start from the cache: ${JSON.stringify(state)}`);
  return { first, returning };
}

// ---- run ------------------------------------------------------------------------------------------
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
const runs = [];
try {
  for (let run = 0; run < RUNS; run++) runs.push({ steps: await measureSteps(browser), tag: await measureTag(browser) });
} finally {
  await browser.close();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const row = (label, values, format = ms) => console.log(`| ${label} | ${format(median(values))} | ${format(Math.min(...values))}-${format(Math.max(...values))} |`);
const experiences = JSON.parse(text).experiences;

console.log(`\n## Large bundle: main-thread tasks in Chromium\n`);
console.log(`- bundle: ${text.length.toLocaleString('en-US')} bytes of JSON, signed: ${SHAPE.experiences.toLocaleString('en-US')} experiences in ${SHAPE.slots} slots, ${SHAPE.segments.toLocaleString('en-US')} segments, ${(SHAPE.experiences + SHAPE.segments).toLocaleString('en-US')} rules, ${experiences.filter((e) => e.group).length} in exclusion groups (generate-bundle.mjs)`);
console.log(`- ${RUNS} runs, each in fresh browser contexts (cold code); machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end`);
console.log(`- a task of 50 ms or more is a long task; the client parses in one task, then checks (device check) and compiles in slices of about 10 ms\n`);
console.log('| measure | median | min-max |');
console.log('| --- | ---: | ---: |');
row('JSON.parse (its own task)', runs.map((r) => r.steps.parse));
row('validateBundle, zod: the reference (CLI, npm), in one go', runs.map((r) => r.steps.validateZod));
row('validateBundleOnDevice in one go', runs.map((r) => r.steps.validate));
row('compileBundle in one go', runs.map((r) => r.steps.compile));
row('check + compile in slices: median slice', runs.map((r) => r.steps.medianSlice));
row('check + compile in slices: longest slice', runs.map((r) => r.steps.longestSlice));
row('check + compile in slices: slices', runs.map((r) => r.steps.slices), String);
row('tag, first visit (network): longest task', runs.map((r) => r.tag.first.longest));
row('tag, first visit: long tasks', runs.map((r) => r.tag.first.long), String);
row('tag, returning visit (cache, then 304): longest task', runs.map((r) => r.tag.returning.longest));
row('tag, returning visit: long tasks', runs.map((r) => r.tag.returning.long), String);
