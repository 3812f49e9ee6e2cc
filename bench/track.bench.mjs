// Event path benchmark in real Chromium: the main-thread cost of track(), how many events per
// second reach IndexedDB, and how fast they are delivered to a collector.
// Run after `npm run build`:  node bench/track.bench.mjs [--no-profile] [--profile-out=FILE.cpuprofile] [--thread-time]
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
//
// The built tag (packages/tag/dist/attune.min.js) runs in bench/pages/track-bench.html, served by
// the dev collector started in-process on 127.0.0.1 (IndexedDB needs a real origin). The numbers
// are printed as tables; nothing here asserts on time. Unless --no-profile is given, CPU profiles
// of the same workloads (the same build bundled unminified, so functions keep their names) show
// which functions the main-thread time goes to.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TAG_FILE = resolve(repo, 'packages/tag/dist/attune.min.js');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PROFILE = !process.argv.includes('--no-profile');
/** --profile-out=FILE also writes the CPU profile (.cpuprofile, for Chrome DevTools). */
const PROFILE_OUT = process.argv.find((arg) => arg.startsWith('--profile-out='))?.slice('--profile-out='.length);
/**
 * --thread-time: "main-thread busy" is the main thread's CPU time (CDP threadTicks) instead of the
 * wall time of its tasks, which grows when other processes share the CPU (a loaded machine).
 */
const THREAD_TIME = process.argv.includes('--thread-time');

const SYNC_N = 10_000; // track() calls per round, synchronous part
const PERSIST_N = 1_000; // events per round until committed: ~700 B each, must fit the 1 MB queue byte cap
const QUEUED = [1_000, 10_000]; // events already waiting in the queue when one more is tracked, or delivered after an outage
const WRITE_WAIT_MS = 400; // longer than the SDK's write delay (250 ms): a single event is committed by then
const BACKLOG_ROUNDS = 3;
const TAB_SYNC_WAIT_MS = 300; // after a backlog is queued: longer than the tab sync's 250 ms post
const DELIVER_N = 1_000; // events per round until delivered (same cap: a bigger burst would be trimmed)
const WARMUP_ROUNDS = 1;
const ROUNDS = 5;
const PROFILE_ROUNDS = 10; // rounds of PERSIST_N events recorded in the CPU profile
const PROFILE_DELIVER_ROUNDS = 3; // rounds of DELIVER_N events delivered in the second profile
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
const rounds = async (fn) => {
  const samples = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const sample = await fn(round);
    if (round >= WARMUP_ROUNDS) samples.push(sample);
  }
  return samples;
};

async function measure(browser, base, collector) {
  let deliveredBacklog = true;
  // 1. The synchronous part of track(): the loop alone, rounds back to back in a page of their
  // own (waiting for each 10,000-event write and its trim to the 1 MB cap would take seconds).
  const syncUs = await (async () => {
    const { context, page } = await openBenchPage(browser, base);
    await control(base, 'down');
    const samples = await rounds(async () => ((await page.evaluate((n) => window.__bench.trackLoop(n), SYNC_N)) * 1000) / SYNC_N);
    await context.close();
    return samples;
  })();

  const { context, page, pageErrors } = await openBenchPage(browser, base);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: THREAD_TIME ? 'threadTicks' : 'timeTicks' });
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;

  // 2. Until the events are committed to IndexedDB; the collector drops connections, so nothing
  // leaves the queue while it is counted (emptied before each round).
  await control(base, 'down');
  const before = await diagnostics(page);
  const persist = { busyUs: [], wallUs: [], rate: [] };
  await rounds(async (round) => {
    await page.evaluate(() => window.__bench.settle());
    const t0 = await taskSeconds();
    const result = await page.evaluate(([n, timeout]) => window.__bench.persistRound(n, timeout), [PERSIST_N, ROUND_TIMEOUT_MS]);
    const busy = (await taskSeconds()) - t0;
    if (round < WARMUP_ROUNDS) return;
    persist.busyUs.push((busy * 1e6) / PERSIST_N);
    persist.wallUs.push((result.wallMs * 1000) / PERSIST_N);
    persist.rate.push(PERSIST_N / (result.wallMs / 1000));
  });
  const sample = await page.evaluate(() => window.__bench.newestRecord());

  // 2b. One event while QUEUED events wait (an offline visitor): appends must cost the same
  // whatever the queue length. Each round is paired with one without the event (same sleeps and
  // checks), whose main-thread time is subtracted.
  const single = {};
  for (const queued of QUEUED) {
    await page.evaluate(([n, timeout]) => window.__bench.fillQueue(n, timeout), [queued, ROUND_TIMEOUT_MS * 3]);
    const result = { wallMs: [], busyMs: [] };
    await rounds(async (round) => {
      const t0 = await taskSeconds();
      await page.evaluate(([timeout, wait]) => window.__bench.oneEventRound(timeout, wait, false), [ROUND_TIMEOUT_MS, WRITE_WAIT_MS]);
      const t1 = await taskSeconds();
      const wallMs = await page.evaluate(([timeout, wait]) => window.__bench.oneEventRound(timeout, wait), [ROUND_TIMEOUT_MS, WRITE_WAIT_MS]);
      const t2 = await taskSeconds();
      if (round < WARMUP_ROUNDS) return;
      result.wallMs.push(wallMs);
      result.busyMs.push((t2 - t1 - (t1 - t0)) * 1000);
    });
    single[queued] = result;
  }
  const afterSingle = await diagnostics(page);

  // 2c. A backlog after an outage: QUEUED events wait, the collector comes back, flush() until
  // the queue is empty. Main-thread time per event delivered.
  const backlog = {};
  for (const queued of QUEUED) {
    backlog[queued] = [];
    for (let round = 0; round < BACKLOG_ROUNDS; round++) {
      await control(base, 'down');
      await page.evaluate(([n, timeout]) => window.__bench.fillQueue(n, timeout), [queued, ROUND_TIMEOUT_MS * 3]);
      // The tracked events go to the other tabs in one message 250 ms after the first
      // (profile/tab-sync.ts): a cost of tracking them (~2 µs per event at 10,000), not of delivery.
      await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), TAB_SYNC_WAIT_MS);
      await control(base, 'up');
      const stored = collector.stored.length;
      const t0 = await taskSeconds();
      await page.evaluate((timeout) => window.__bench.drainQueue(timeout), ROUND_TIMEOUT_MS * 3);
      const busy = (await taskSeconds()) - t0;
      if (collector.stored.length - stored !== queued) deliveredBacklog = false;
      backlog[queued].push((busy * 1e6) / queued);
    }
  }
  await control(base, 'down');
  const afterPersist = afterSingle;
  // Emptied while the collector is still down, so a retry cannot deliver these once it is up.
  await page.evaluate(() => window.__bench.clearQueue());
  await control(base, 'up');

  // 3. Until flush() has delivered everything to the collector (batches of 500, one request at a time).
  const deliver = { busyUs: [], rate: [] };
  let deliveredOk = true;
  await rounds(async (round) => {
    const stored = collector.stored.length;
    const t0 = await taskSeconds();
    const result = await page.evaluate(([n, timeout]) => window.__bench.deliverRound(n, timeout), [DELIVER_N, ROUND_TIMEOUT_MS]);
    const busy = (await taskSeconds()) - t0;
    if (collector.stored.length - stored !== DELIVER_N) deliveredOk = false;
    if (round < WARMUP_ROUNDS) return;
    deliver.busyUs.push((busy * 1e6) / DELIVER_N);
    deliver.rate.push(DELIVER_N / (result.wallMs / 1000));
  });
  const after = await diagnostics(page);

  // 4. Plain IndexedDB on records of the same shape: the floor the SDK's write path stands on.
  const baseline = {};
  for (const mode of ['put-each', 'put-one', 'cursor']) {
    baseline[mode] = await rounds(async () => ((await page.evaluate(([m, n, s]) => window.__bench.baselineRound(m, n, s), [mode, PERSIST_N, sample])) * 1000) / PERSIST_N);
  }

  const version = browser.version();
  await context.close();
  return {
    version, syncUs, persist, single, backlog, deliveredBacklog, deliver, baseline, eventBytes: sample?.bytes, deliveredOk, pageErrors,
    droppedPersist: (afterPersist.droppedEvents ?? 0) - (before.droppedEvents ?? 0),
    droppedDeliver: (after.droppedEvents ?? 0) - (afterPersist.droppedEvents ?? 0),
    invalid: (after.invalidEvents ?? 0) - (before.invalidEvents ?? 0),
  };
}

// ---- profile -----------------------------------------------------------------------------------
/**
 * The same build as attune.min.js, not minified: packages/tag/dist/attune.esm.js bundled with
 * packages/core/dist (rollup's ESM output) by esbuild, so profiles show real function names.
 */
async function buildReadableTag(dir) {
  const esbuild = await import('esbuild');
  const outfile = join(dir, 'attune.js');
  await esbuild.build({
    entryPoints: [resolve(repo, 'packages/tag/dist/attune.esm.js')],
    absWorkingDir: repo,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    minify: false,
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
    if (match) starts.push([index, match[1].replace(/^.*node_modules\//, '').replace(/^packages\/(\w+)\/dist\//, '$1/')]);
  });
  return (line) => {
    let found = '?';
    for (const [start, name] of starts) {
      if (start > line) break;
      found = name;
    }
    return found;
  };
}

/** Records one CDP CPU profile of `workload` (a function run in the page). */
async function record(cdp, page, workload, args) {
  await cdp.send('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
  await cdp.send('Profiler.start');
  const wall = await page.evaluate(workload, args);
  const { profile: cpu } = await cdp.send('Profiler.stop');
  return { cpu, wall };
}

async function profile(browser, base, tagFile) {
  const { context, page } = await openBenchPage(browser, base, (p) =>
    p.route('**/tag/attune.min.js', (route) => route.fulfill({ path: tagFile, contentType: 'text/javascript; charset=utf-8' })),
  );
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  const repeat = async ([helper, count, n, t]) => {
    const result = { loopMs: 0, wallMs: 0 };
    for (let i = 0; i < count; i++) {
      const r = await window.__bench[helper](n, t);
      result.loopMs += r.loopMs;
      result.wallMs += r.wallMs;
    }
    return result;
  };
  await control(base, 'down');
  await page.evaluate(repeat, ['persistRound', 2, PERSIST_N, ROUND_TIMEOUT_MS]); // warm-up
  const persist = await record(cdp, page, repeat, ['persistRound', PROFILE_ROUNDS, PERSIST_N, ROUND_TIMEOUT_MS]);
  await page.evaluate(() => window.__bench.clearQueue());
  await control(base, 'up');
  await page.evaluate(repeat, ['deliverRound', 1, DELIVER_N, ROUND_TIMEOUT_MS]); // warm-up
  const deliver = await record(cdp, page, repeat, ['deliverRound', PROFILE_DELIVER_ROUNDS, DELIVER_N, ROUND_TIMEOUT_MS]);
  await context.close();
  if (PROFILE_OUT) {
    writeFileSync(PROFILE_OUT, JSON.stringify(persist.cpu));
    writeFileSync(PROFILE_OUT.replace(/(\.cpuprofile)?$/, '-delivery.cpuprofile'), JSON.stringify(deliver.cpu));
  }
  const moduleOf = moduleIndex(readFileSync(tagFile, 'utf8'));
  return { persist: { ...analyze(persist.cpu, moduleOf), wall: persist.wall }, deliver: { ...analyze(deliver.cpu, moduleOf), wall: deliver.wall } };
}

/** Self and total (inclusive) times per function, overall and under track(), and a coarse split. */
function analyze(cpu, moduleOf) {
  const nodes = new Map(cpu.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of cpu.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const times = [];
  let time = cpu.startTime;
  for (const delta of cpu.timeDeltas) times.push((time += delta));
  const isTag = (frame) => frame.url.endsWith('/tag/attune.min.js');
  const label = (frame) => {
    const name = frame.functionName || '(anonymous)';
    if (!frame.url) return name;
    return `${name} (${isTag(frame) ? moduleOf(frame.lineNumber) : frame.url.replace(/^.*\//, '')})`;
  };
  const isTrack = (frame) => frame.functionName === 'track' && isTag(frame);
  const isWrite = (frame) => frame.functionName === 'write' && isTag(frame);
  const add = (map, k, v) => map.set(k, (map.get(k) ?? 0) + v);
  const totals = { all: 0, idle: 0, track: 0, write: 0, gc: 0, program: 0, harness: 0, otherTag: 0, other: 0 };
  const selfInTrack = new Map();
  const totalInTrack = new Map();
  const selfOutsideTrack = new Map();
  const selfAll = new Map();
  const totalAll = new Map();
  // Sample i lasts until sample i + 1.
  for (let i = 0; i < cpu.samples.length - 1; i++) {
    const duration = (times[i + 1] - times[i]) / 1000;
    totals.all += duration;
    const leaf = nodes.get(cpu.samples[i]);
    const leafName = leaf.callFrame.functionName;
    if (leafName === '(idle)') {
      totals.idle += duration;
      continue;
    }
    const stack = [];
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) stack.push(nodes.get(id).callFrame);
    add(selfAll, label(leaf.callFrame), duration);
    for (const k of new Set(stack.filter((frame) => frame.url).map(label))) add(totalAll, k, duration);
    const trackAt = stack.findIndex(isTrack);
    if (trackAt >= 0) {
      totals.track += duration;
      add(selfInTrack, label(leaf.callFrame), duration);
      for (const k of new Set(stack.slice(0, trackAt + 1).map(label))) add(totalInTrack, k, duration);
      continue;
    }
    add(selfOutsideTrack, label(leaf.callFrame), duration);
    if (leafName === '(garbage collector)') totals.gc += duration;
    else if (leafName === '(program)') totals.program += duration;
    else if (stack.some(isWrite)) totals.write += duration;
    else if (stack.some((frame) => frame.url.includes('/bench/track-bench.html'))) totals.harness += duration;
    else if (stack.some(isTag)) totals.otherTag += duration;
    else totals.other += duration;
  }
  return { totals, selfInTrack, totalInTrack, selfOutsideTrack, selfAll, totalAll, samples: cpu.samples.length };
}

function printProfile({ persist: p, deliver: d }) {
  const pct = (v, of) => `${((100 * v) / of).toFixed(1)}%`;
  const top = (map, count) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  const t = p.totals;
  const busy = t.all - t.idle;
  console.log(`\n## Where the main-thread time goes (CPU profiles)\n`);
  console.log(`- build: packages/tag/dist/attune.esm.js + packages/core/dist bundled unminified by esbuild (the same code as attune.min.js, with names), in the same page`);
  console.log(`- CDP Profiler, ${PROFILE_SAMPLING_US} µs sampling. Self: time in the function itself, including the V8 built-ins it calls ` +
    `(JSON.stringify, Date#toISOString); Web APIs (getRandomValues, IndexedDB put/delete/continue, fetch) are rows of their own; total: with everything it calls`);
  console.log(`\n### Until committed: ${PROFILE_ROUNDS} rounds of ${PERSIST_N.toLocaleString('en-US')} events, collector down\n`);
  console.log(`- ${p.samples.toLocaleString('en-US')} samples; ${ms(p.wall.wallMs)} wall, of which the track() loops ${ms(p.wall.loopMs)}; main thread busy ${ms(busy)}:`);
  console.log(`  - inside track(): ${ms(t.track)} (${pct(t.track, busy)})`);
  console.log(`  - the write batch (\`write\` in storage/write-batch.js: one put per event, then the cap check's cursor walk over the queue): ${ms(t.write)} (${pct(t.write, busy)})`);
  console.log(`  - other SDK code (mostly the idb library's request callbacks): ${ms(t.otherTag)} (${pct(t.otherTag, busy)})`);
  console.log(`  - (program), native work with no JavaScript on the stack (e.g. Blink delivering IndexedDB results): ${ms(t.program)} (${pct(t.program, busy)})`);
  console.log(`  - garbage collector: ${ms(t.gc)} (${pct(t.gc, busy)}); benchmark harness: ${ms(t.harness)}; other: ${ms(t.other)}`);
  console.log('\nInside track():\n');
  console.log('| function (module) | self | self % of track() | total % of track() |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, self] of top(p.selfInTrack, 12)) {
    console.log(`| ${name} | ${ms(self)} | ${pct(self, t.track)} | ${pct(p.totalInTrack.get(name) ?? self, t.track)} |`);
  }
  console.log('\nInside track(), largest totals:\n');
  console.log('| function (module) | total | % of track() |');
  console.log('| --- | ---: | ---: |');
  for (const [name, total] of top(p.totalInTrack, 12)) console.log(`| ${name} | ${ms(total)} | ${pct(total, t.track)} |`);
  console.log('\nOutside track(), largest self times:\n');
  console.log('| function (module) | self | % of busy |');
  console.log('| --- | ---: | ---: |');
  for (const [name, self] of top(p.selfOutsideTrack, 10)) console.log(`| ${name} | ${ms(self)} | ${pct(self, busy)} |`);

  const dBusy = d.totals.all - d.totals.idle;
  console.log(`\n### Delivery: ${PROFILE_DELIVER_ROUNDS} rounds of ${DELIVER_N.toLocaleString('en-US')} events, collector up, flush()\n`);
  console.log(`- ${d.samples.toLocaleString('en-US')} samples; ${ms(d.wall.wallMs)} wall; main thread busy ${ms(dBusy)} (${pct(dBusy, d.totals.all)} of the profiled time); ` +
    `inside track(): ${ms(d.totals.track)}; (program): ${ms(d.totals.program)}; garbage collector: ${ms(d.totals.gc)}\n`);
  console.log('| function (module), largest totals | total | % of busy |');
  console.log('| --- | ---: | ---: |');
  for (const [name, total] of top(d.totalAll, 14)) console.log(`| ${name} | ${ms(total)} | ${pct(total, dBusy)} |`);
  console.log('\n| function (module), largest self times | self | % of busy |');
  console.log('| --- | ---: | ---: |');
  for (const [name, self] of top(d.selfAll, 10)) console.log(`| ${name} | ${ms(self)} | ${pct(self, dBusy)} |`);
  if (PROFILE_OUT) console.log(`\n(profiles written to ${PROFILE_OUT} and its -delivery twin: open them in Chrome DevTools, Performance panel)`);
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
  const started = Date.now();
  const port = await collector.listen(0);
  const base = `http://127.0.0.1:${port}`;
  browser = await launch();
  const m = await measure(browser, base, collector);

  const n = (v) => v.toLocaleString('en-US');
  const tagStat = statSync(TAG_FILE);
  const tagKb = (tagStat.size / 1024).toFixed(1);
  console.log(`# Event path benchmark (Chromium)\n`);
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- browser: Chromium ${m.version} (headless, Playwright), node ${process.version} (${process.platform}/${process.arch})`);
  console.log(`- tag: packages/tag/dist/attune.min.js (${tagKb} KiB minified, built ${tagStat.mtime.toISOString()}), page served by the dev collector on 127.0.0.1, consent granted (analytics + personalization)`);
  console.log(`- workload: \`track('product_viewed', { sku: 'A' + (i % 50), price: 19.99, category: 'outerwear' })\` in a synchronous loop; ` +
    `${m.eventBytes ?? '?'} bytes per serialized event; ${WARMUP_ROUNDS} warm-up + ${ROUNDS} timed rounds per measure`);
  console.log(`- synchronous part: ${n(SYNC_N)} calls per round, rounds back to back in their own page (the batch writes run after each loop)`);
  console.log(`- committed: the collector drops connections so nothing leaves the queue; queue emptied before each round; ` +
    `from the loop's start until all ${n(PERSIST_N)} events are committed to IndexedDB; main-thread busy is CDP's TaskDuration over the round (${THREAD_TIME ? 'CPU time of the main thread: --thread-time' : 'wall time of the main thread\'s tasks'})`);
  console.log(`- one track() with ${QUEUED.map(n).join(' or ')} queued: the queue is filled (collector down), then one track() per round; its event waits for the write delay, so each round sleeps ${WRITE_WAIT_MS} ms and checks every 10 ms until it is committed; main-thread time is the round's minus that of the same round without the event`);
  console.log(`- backlog: ${QUEUED.map(n).join(' or ')} events queued while the collector is down, ${TAB_SYNC_WAIT_MS} ms for the other tabs' copy of them (posted 250 ms after the first), then the collector comes back and flush() runs until the queue is empty`);
  console.log(`- delivered: collector up; loop, then \`flush()\` (batches of 500, one request at a time) until the queue is empty`);
  console.log(`- baselines: plain IndexedDB in another database, ${n(PERSIST_N)} records copied from the SDK's queue, no SDK code\n`);
  console.log('| measure | median | min | max | target |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const row = (name, samples, fmt, target) => {
    const s = stats(samples);
    console.log(`| ${name} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${target} |`);
  };
  row(`track(), synchronous part, per call (${n(SYNC_N)} calls/round)`, m.syncUs, us, '≤ 5 µs');
  row(`track() until committed, main-thread busy, per event (${n(PERSIST_N)}/round)`, m.persist.busyUs, us, '≤ 5 µs amortized');
  row(`track() until committed, wall time, per event`, m.persist.wallUs, us, '');
  row(`events persisted per second`, m.persist.rate, perSecond, '≥ 10,000/s');
  for (const queued of QUEUED) {
    row(`one track() with ${n(queued)} events already queued, until committed, main-thread busy`, m.single[queued].busyMs.map((v) => v * 1000), us, '≤ 50 µs');
    row(`one track() with ${n(queued)} events already queued, until seen committed, wall time (write delay included)`, m.single[queued].wallMs, ms, '');
  }
  for (const queued of QUEUED) row(`delivery of a ${n(queued)}-event backlog, main-thread busy, per event (${BACKLOG_ROUNDS} rounds)`, m.backlog[queued], us, '≤ 20 µs');
  row(`events delivered to the collector per second (${n(DELIVER_N)}/round)`, m.deliver.rate, perSecond, '');
  row(`delivery, main-thread busy, per event`, m.deliver.busyUs, us, '');
  row(`baseline: IndexedDB, one put() per record, one transaction, per record`, m.baseline['put-each'], us, '');
  row(`baseline: IndexedDB, the same records as one put(), per record`, m.baseline['put-one'], us, '');
  row(`baseline: IndexedDB, value cursor walk over the records, per record`, m.baseline.cursor, us, '');
  console.log('');
  console.log(`- events dropped by the queue caps (100,000 events / 1 MB): ${m.droppedPersist} during the committed rounds, ${m.droppedDeliver} during the delivery rounds ` +
    `(the ${n(SYNC_N)}-call rounds, ${n(SYNC_N)} × ${m.eventBytes ?? '?'} B, exceed 1 MB and are trimmed after their write: not counted, not waited for)`);
  console.log(`- invalid events: ${m.invalid}; every delivery round reached the collector in full: ${m.deliveredOk ? 'yes' : 'NO'}; every backlog too: ${m.deliveredBacklog ? 'yes' : 'NO'}`);
  if (m.pageErrors.length > 0) console.log(`- page errors: ${m.pageErrors.map((e) => e.message).join('; ')}`);

  if (PROFILE) {
    let tagFile;
    try {
      tagFile = await buildReadableTag(tmp);
    } catch (error) {
      console.log(`\n(profile skipped: esbuild could not bundle packages/tag/dist/attune.esm.js: ${String(error.message).split('\n')[0]})`);
    }
    if (tagFile) printProfile(await profile(browser, base, tagFile));
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
