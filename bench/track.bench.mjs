// Event path benchmark in real Chromium: the main-thread cost of track(), how many events per
// second reach IndexedDB, and how fast they are delivered to a collector.
// Run after `npm run build`:  node bench/track.bench.mjs [--no-profile]
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
//
// The built tag (packages/tag/dist/attune.min.js) runs in bench/pages/track-bench.html, served with
// the dev collector started in-process on 127.0.0.1 (IndexedDB needs a real origin). The numbers
// are printed as a table; nothing here asserts on time. Unless --no-profile is given, a CPU
// profile of the same workload (an unminified esbuild bundle of packages/tag/src, so functions
// keep their names) shows which functions the time goes to.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TAG_FILE = resolve(repo, 'packages/tag/dist/attune.min.js');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PROFILE = !process.argv.includes('--no-profile');

const SYNC_N = 10_000; // track() calls per round, synchronous part
const PERSIST_N = 1_000; // events per round until committed: ~700 B each, must fit the 1 MB queue byte cap
const DELIVER_N = 1_000; // events per round until delivered (same cap: a bigger burst would be trimmed)
const WARMUP_ROUNDS = 1;
const ROUNDS = 5;
const PROFILE_ROUNDS = 20; // rounds of PERSIST_N events recorded in the CPU profile
const PROFILE_SAMPLING_US = 50;
const ROUND_TIMEOUT_MS = 20_000;

function fail(message) {
  console.error(`\ntrack.bench: ${message}\n`);
  process.exit(1);
}

// ---- preflight: say clearly what is missing ----------------------------------------------------
if (!existsSync(TAG_FILE)) fail(`${TAG_FILE} is missing: build first (npm run build, or npm run bench which builds).`);
if (!existsSync(CHROMIUM_PATH)) {
  fail(`no Chromium at ${CHROMIUM_PATH}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.`);
}
let chromium;
try {
  ({ chromium } = await import('@playwright/test'));
} catch (error) {
  fail(`cannot load @playwright/test (${error.message}): run npm install at the repository root.`);
}
const { createCollector } = await import('../examples/collector/collector.mjs');

// ---- helpers -----------------------------------------------------------------------------------
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}
const us = (v) => `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} µs`;
const perSecond = (v) => `${Math.round(v).toLocaleString('en-US')}/s`;
const ms = (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

async function control(base, mode) {
  const response = await fetch(`${base}/_control`, { method: 'POST', body: JSON.stringify({ mode }) });
  if (!response.ok) throw new Error(`POST /_control ${mode}: HTTP ${response.status}`);
}

async function launch() {
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw Object.assign(new Error(`could not start Chromium at ${CHROMIUM_PATH}: ${String(error.message).split('\n')[0]}`), { clear: true });
  }
}

/** A fresh browser context on the bench page, tag started, consent granted (IndexedDB open). */
async function openBenchPage(browser, base, setup) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  if (setup) await setup(page);
  await page.goto(`${base}/bench/track-bench.html`);
  await page.waitForFunction(() => typeof window.attune?.client === 'object' && window.__bench, null, { timeout: 10_000 });
  await page.evaluate(async () => {
    const client = window.attune.client;
    await client.ready;
    await client.consent.grant();
  });
  return { context, page, pageErrors };
}

const diagnostics = (page) => page.evaluate(() => window.attune.client.getSnapshot().diagnostics ?? {});

// ---- measurements ------------------------------------------------------------------------------
async function measure(browser, base, collector) {
  const { context, page, pageErrors } = await openBenchPage(browser, base);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;

  // The collector drops connections, so nothing leaves the queue while we count it.
  await control(base, 'down');
  const before = await diagnostics(page);

  // 1. The synchronous part of track(): the loop alone.
  const syncUs = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const loopMs = await page.evaluate((n) => window.__bench.trackLoop(n), SYNC_N);
    if (round >= WARMUP_ROUNDS) syncUs.push((loopMs * 1000) / SYNC_N);
    await page.evaluate(() => window.__bench.settle()); // Let the batch write land before the next round.
  }
  const afterSync = await diagnostics(page);

  // 2. Until the events are committed to IndexedDB (queue emptied before each round).
  const persist = { loopUs: [], wallUs: [], taskUs: [], rate: [] };
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    await page.evaluate(() => window.__bench.settle());
    const t0 = await taskSeconds();
    const result = await page.evaluate(([n, timeout]) => window.__bench.persistRound(n, timeout), [PERSIST_N, ROUND_TIMEOUT_MS]);
    const busy = (await taskSeconds()) - t0;
    if (round < WARMUP_ROUNDS) continue;
    persist.loopUs.push((result.loopMs * 1000) / PERSIST_N);
    persist.wallUs.push((result.wallMs * 1000) / PERSIST_N);
    persist.taskUs.push((busy * 1e6) / PERSIST_N);
    persist.rate.push(PERSIST_N / (result.wallMs / 1000));
  }
  const eventBytes = await page.evaluate(() => window.__bench.queuedEventBytes());
  const afterPersist = await diagnostics(page);
  await control(base, 'up');

  // 3. Until flush() has delivered everything to the collector (batches of 50, one at a time).
  const deliver = { wallUs: [], rate: [] };
  let deliveredOk = true;
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const stored = collector.stored.length;
    const result = await page.evaluate(([n, timeout]) => window.__bench.deliverRound(n, timeout), [DELIVER_N, ROUND_TIMEOUT_MS]);
    if (collector.stored.length - stored !== DELIVER_N) deliveredOk = false;
    if (round < WARMUP_ROUNDS) continue;
    deliver.wallUs.push((result.wallMs * 1000) / DELIVER_N);
    deliver.rate.push(DELIVER_N / (result.wallMs / 1000));
  }
  const after = await diagnostics(page);
  const version = page.context().browser()?.version();
  await context.close();
  return {
    version, syncUs, persist, deliver, eventBytes, deliveredOk, pageErrors,
    droppedSync: (afterSync.droppedEvents ?? 0) - (before.droppedEvents ?? 0),
    droppedPersist: (afterPersist.droppedEvents ?? 0) - (afterSync.droppedEvents ?? 0),
    droppedDeliver: (after.droppedEvents ?? 0) - (afterPersist.droppedEvents ?? 0),
    invalid: (after.invalidEvents ?? 0) - (before.invalidEvents ?? 0),
  };
}

// ---- profile -----------------------------------------------------------------------------------
/** An unminified IIFE of packages/tag/src (core from source), so profiles show real names. */
async function buildReadableTag(dir) {
  const esbuild = await import('esbuild');
  const outfile = join(dir, 'attune.js');
  await esbuild.build({
    entryPoints: [resolve(repo, 'packages/tag/src/index.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    minify: false,
    alias: { '@attune/core': resolve(repo, 'packages/core/src/index.ts') },
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Maps a line of the esbuild bundle to the module it came from (esbuild marks each with a comment). */
function moduleIndex(source) {
  const starts = [];
  source.split('\n').forEach((line, index) => {
    const match = /^\s*\/\/ (\S+\.(?:ts|js|mjs|cjs))$/.exec(line);
    if (match) starts.push([index, match[1].replace(/^.*node_modules\//, '').replace(/^packages\//, '')]);
  });
  return (line) => {
    let found = '?';
    for (const [start, name] of starts) if (start <= line) found = name; else break;
    return found;
  };
}

async function profile(browser, base, tagFile) {
  const moduleOf = moduleIndex(readFileSync(tagFile, 'utf8'));
  const { context, page } = await openBenchPage(browser, base, (p) =>
    p.route('**/tag/attune.min.js', (route) => route.fulfill({ path: tagFile, contentType: 'text/javascript; charset=utf-8' })),
  );
  await control(base, 'down');
  for (let round = 0; round < 3; round++) await page.evaluate(([n, t]) => window.__bench.persistRound(n, t), [PERSIST_N, ROUND_TIMEOUT_MS]);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
  await cdp.send('Profiler.start');
  const wall = await page.evaluate(async ([rounds, n, t]) => {
    const result = { loopMs: 0, wallMs: 0 };
    for (let i = 0; i < rounds; i++) {
      const r = await window.__bench.persistRound(n, t);
      result.loopMs += r.loopMs;
      result.wallMs += r.wallMs;
    }
    return result;
  }, [PROFILE_ROUNDS, PERSIST_N, ROUND_TIMEOUT_MS]);
  const { profile: cpu } = await cdp.send('Profiler.stop');
  await control(base, 'up');
  await context.close();

  // Sample i lasts until sample i + 1.
  const nodes = new Map(cpu.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of cpu.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const times = [];
  let t = cpu.startTime;
  for (const delta of cpu.timeDeltas) times.push((t += delta));
  const key = (frame) => {
    const name = frame.functionName || '(anonymous)';
    if (!frame.url) return name;
    const where = frame.url.endsWith('/tag/attune.min.js') ? moduleOf(frame.lineNumber) : frame.url.replace(/^.*\//, '');
    return `${name} (${where}:${frame.lineNumber + 1})`;
  };
  const isTrack = (frame) => frame.functionName === 'track' && frame.url.endsWith('/tag/attune.min.js');
  const isWrite = (frame) => frame.functionName === 'write' && frame.url.endsWith('/tag/attune.min.js');
  const totals = { all: 0, track: 0, write: 0, gc: 0, idle: 0, program: 0, harness: 0, other: 0 };
  const selfInTrack = new Map();
  const inclusiveInTrack = new Map();
  const selfAll = new Map();
  for (let i = 0; i < cpu.samples.length - 1; i++) {
    const duration = (times[i + 1] - times[i]) / 1000; // ms
    totals.all += duration;
    const leaf = nodes.get(cpu.samples[i]);
    const leafName = leaf.callFrame.functionName;
    if (leafName === '(idle)') { totals.idle += duration; continue; }
    if (leafName === '(garbage collector)') totals.gc += duration;
    else if (leafName === '(program)') totals.program += duration;
    const stack = [];
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) stack.push(nodes.get(id).callFrame);
    selfAll.set(key(leaf.callFrame), (selfAll.get(key(leaf.callFrame)) ?? 0) + duration);
    if (stack.some(isTrack)) {
      totals.track += duration;
      selfInTrack.set(key(leaf.callFrame), (selfInTrack.get(key(leaf.callFrame)) ?? 0) + duration);
      const seen = new Set();
      for (const frame of stack.slice(0, stack.findIndex(isTrack) + 1)) {
        const k = key(frame);
        if (seen.has(k)) continue;
        seen.add(k);
        inclusiveInTrack.set(k, (inclusiveInTrack.get(k) ?? 0) + duration);
      }
    } else if (stack.some(isWrite)) totals.write += duration;
    else if (stack.some((frame) => frame.url.includes('/bench/track-bench.html'))) totals.harness += duration;
    else if (!['(garbage collector)', '(program)'].includes(leafName)) totals.other += duration;
  }
  return { wall, totals, selfInTrack, inclusiveInTrack, selfAll, samples: cpu.samples.length };
}

// ---- run ---------------------------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'attune-track-bench-'));
const collector = createCollector({
  eventsFile: join(tmp, 'events.ndjson'),
  routes: { '/tag/': resolve(repo, 'packages/tag/dist'), '/bench/': resolve(repo, 'bench/pages') },
});
let browser;
let exitCode = 0;
try {
  const port = await collector.listen(0);
  const base = `http://127.0.0.1:${port}`;
  browser = await launch();
  const started = Date.now();
  const m = await measure(browser, base, collector);

  const tagKb = (statSync(TAG_FILE).size / 1024).toFixed(1);
  console.log(`# Event path benchmark (Chromium)\n`);
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- browser: Chromium ${m.version} (headless, Playwright), node ${process.version} (${process.platform}/${process.arch})`);
  console.log(`- tag: packages/tag/dist/attune.min.js (${tagKb} KiB, minified), page from the dev collector on 127.0.0.1, consent granted (analytics + personalization)`);
  console.log(`- workload: \`track('product_viewed', { sku: 'A' + (i % 50), price: 19.99, category: 'outerwear' })\` in a synchronous loop; ` +
    `${m.eventBytes ?? '?'} bytes per serialized event; ${WARMUP_ROUNDS} warm-up + ${ROUNDS} timed rounds per measure`);
  console.log(`- persisted: collector down (connections dropped) so nothing leaves the queue; queue emptied before each round; ` +
    `time from the loop's start until all ${PERSIST_N.toLocaleString('en-US')} events are committed to IndexedDB`);
  console.log(`- delivered: collector up; loop, then \`flush()\` (batches of 50, sent one after another) until the queue is empty\n`);
  console.log('| measure | median | min | max | target |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const row = (name, s, fmt, target) => console.log(`| ${name} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${target} |`);
  row(`track(), synchronous part (${SYNC_N.toLocaleString('en-US')} calls/round), per call`, stats(m.syncUs), us, '≤ 5 µs');
  row(`track(), synchronous part (${PERSIST_N.toLocaleString('en-US')} calls/round), per call`, stats(m.persist.loopUs), us, '≤ 5 µs');
  row(`track() until committed to IndexedDB, main-thread busy (CDP TaskDuration), per event`, stats(m.persist.taskUs), us, '≤ 5 µs amortized');
  row(`track() until committed to IndexedDB, wall time, per event`, stats(m.persist.wallUs), us, 'n/a');
  row(`events persisted per second (${PERSIST_N.toLocaleString('en-US')}/round)`, stats(m.persist.rate), perSecond, '≥ 10,000/s');
  row(`events delivered to the collector per second (${DELIVER_N.toLocaleString('en-US')}/round)`, stats(m.deliver.rate), perSecond, 'n/a');
  console.log('');
  console.log(`- dropped by the queue caps (1 MB / 100,000 events): ${m.droppedSync.toLocaleString('en-US')} during the ${SYNC_N.toLocaleString('en-US')}-call rounds ` +
    `(expected: ${SYNC_N.toLocaleString('en-US')} events do not fit in 1 MB; oldest dropped after the write), ` +
    `${m.droppedPersist} during the persisted rounds, ${m.droppedDeliver} during the delivery rounds; invalid events: ${m.invalid}`);
  console.log(`- every delivery round reached the collector in full: ${m.deliveredOk ? 'yes' : 'NO'}`);
  if (m.pageErrors.length > 0) console.log(`- page errors: ${m.pageErrors.map((e) => e.message).join('; ')}`);

  if (PROFILE) {
    let tagFile;
    try {
      tagFile = await buildReadableTag(tmp);
    } catch (error) {
      console.log(`\n(profile skipped: could not bundle packages/tag/src with esbuild: ${String(error.message).split('\n')[0]})`);
    }
    if (tagFile) {
      const p = await profile(browser, base, tagFile);
      const pct = (v, of) => `${((100 * v) / of).toFixed(1)}%`;
      const busy = p.totals.all - p.totals.idle;
      console.log(`\n## Where the time goes (CPU profile)\n`);
      console.log(`- unminified esbuild bundle of packages/tag/src (core from source) in the same page; CDP Profiler, ${PROFILE_SAMPLING_US} µs sampling, ${p.samples.toLocaleString('en-US')} samples`);
      console.log(`- workload: ${PROFILE_ROUNDS} rounds of ${PERSIST_N.toLocaleString('en-US')} events until committed (as in "persisted"): ` +
        `${ms(p.wall.wallMs)} wall, of which the track() loops ${ms(p.wall.loopMs)}`);
      console.log(`- main thread: ${ms(busy)} busy of ${ms(p.totals.all)} profiled. Inside track(): ${ms(p.totals.track)} (${pct(p.totals.track, busy)}); ` +
        `write batch (IndexedDB puts + cap walk): ${ms(p.totals.write)} (${pct(p.totals.write, busy)}); ` +
        `garbage collector: ${ms(p.totals.gc)} (${pct(p.totals.gc, busy)}); ` +
        `(program) (native, outside JS): ${ms(p.totals.program)} (${pct(p.totals.program, busy)}); ` +
        `benchmark harness: ${ms(p.totals.harness)}; other JS: ${ms(p.totals.other)}\n`);
      console.log('Inside track(), by function (self: time in the function itself, including the built-ins it calls such as JSON.stringify; total: with its callees):\n');
      console.log('| function (module:line) | self | self % of track() | total % of track() |');
      console.log('| --- | ---: | ---: | ---: |');
      const top = [...p.selfInTrack].sort((a, b) => b[1] - a[1]).slice(0, 15);
      for (const [name, self] of top) {
        console.log(`| ${name} | ${ms(self)} | ${pct(self, p.totals.track)} | ${pct(p.inclusiveInTrack.get(name) ?? self, p.totals.track)} |`);
      }
      console.log('\nInside track(), largest totals (function with everything it calls):\n');
      console.log('| function (module:line) | total | % of track() |');
      console.log('| --- | ---: | ---: |');
      for (const [name, total] of [...p.inclusiveInTrack].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
        console.log(`| ${name} | ${ms(total)} | ${pct(total, p.totals.track)} |`);
      }
    }
  }
  console.log(`\n(ran in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  exitCode = 1;
  console.error(`\ntrack.bench: ${error.clear ? error.message : (error.stack ?? error)}\n`);
} finally {
  await browser?.close().catch(() => undefined);
  await collector.close().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);
