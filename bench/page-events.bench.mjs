// Events as pages produce them: the main-thread time of 100 track() calls made 10 ms apart on the
// demo shop (consented, collector up), against the same page doing 100 bare IndexedDB put
// transactions, 100 fetch POSTs and 100 DOM text writes made the same way. Tight loops (see
// track.bench.mjs) hide what each event pays on its own: its write, its send, its re-render.
// Run after `npm run build`:  node bench/page-events.bench.mjs
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium). Prints a table; asserts nothing.
//
// Main-thread time is Chrome DevTools Protocol's TaskDuration over a round: the 100 spaced calls,
// then 1.5 s for what they left to do (delayed writes, the batched send, the other tabs' post).
// The same round with no call at all (idle) is subtracted from every measure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, preflight, repo, TAG_DIR } from './tag-in-chromium.mjs';

const CALLS = 100;
const SPACING_MS = 10;
const AFTER_MS = 1500;
const ROUNDS = 5;

const chromium = await preflight('page-events.bench');
const { createCollector } = await import('../examples/collector/collector.mjs');

/** One round in the page: `CALLS` calls of `kind`, `SPACING_MS` apart, then `AFTER_MS` of quiet. */
function pageRound([kind, calls, spacing, after]) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const body = JSON.stringify({ batch: [{ id: 'x', type: 'track', name: 'bench_baseline', properties: { sku: 'A1', price: 19.99, category: 'outerwear' }, padding: 'x'.repeat(500) }] });
  const database = () =>
    (window.__benchDb ??= new Promise((resolve, reject) => {
      const open = indexedDB.open('attune-bench-bare', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('events', { keyPath: 'id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    }));
  const target = document.querySelector('#views');
  return (async () => {
    const db = kind === 'idb' ? await database() : undefined;
    for (let i = 0; i < calls; i++) {
      if (kind === 'track') window.attune.client.track('product_viewed', { sku: 'A' + (i % 50), price: 19.99, category: 'outerwear' });
      else if (kind === 'idb') db.transaction('events', 'readwrite').objectStore('events').put({ id: `${Date.now()}-${i}`, name: 'product_viewed', properties: { sku: 'A' + i, price: 19.99, category: 'outerwear' } });
      else if (kind === 'fetch') void fetch('/collect', { method: 'POST', body, headers: { 'content-type': 'application/json' } }).catch(() => undefined);
      else if (kind === 'dom') target.textContent = String(i);
      await sleep(spacing);
    }
    await sleep(after);
  })();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const tmp = mkdtempSync(join(tmpdir(), 'attune-page-events-bench-'));
const collector = createCollector({
  eventsFile: join(tmp, 'events.ndjson'),
  routes: { '/shop/': resolve(repo, 'examples/shop'), '/bundles/': resolve(repo, 'examples/bundles'), '/tag/': TAG_DIR, '/bench/': resolve(repo, 'bench/pages') },
});
let browser;
let exitCode = 0;
try {
  const port = await collector.listen(0);
  const base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(`${base}/shop/`);
  await page.waitForFunction(() => typeof window.attune?.client === 'object');
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.evaluate(() => window.attune.client.ready);
  await page.waitForTimeout(AFTER_MS);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration').value * 1000;
  const round = async (kind) => {
    const before = await taskMs();
    await page.evaluate(pageRound, [kind, CALLS, SPACING_MS, AFTER_MS]);
    return (await taskMs()) - before;
  };
  const consent = (grant, deny) => page.evaluate(async ([g, d]) => {
    if (d.length) await window.attune.client.consent.deny(d);
    if (g.length) await window.attune.client.consent.grant(g);
  }, [grant, deny]);

  // Rounds interleave the workloads, so a slower moment of the machine weighs on all of them alike.
  const kinds = ['idle', 'track', 'idb', 'fetch', 'dom'];
  const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let i = 0; i < ROUNDS; i++) for (const kind of kinds) samples[kind].push(await round(kind));
  const delivered = collector.stored.filter((record) => record.name === 'product_viewed').length;
  const only = {};
  for (const [purpose, other] of [['personalization', 'analytics'], ['analytics', 'personalization']]) {
    await consent([purpose], [other]);
    await page.waitForTimeout(AFTER_MS);
    only[purpose] = [];
    for (let i = 0; i < ROUNDS; i++) only[purpose].push(await round('track'));
    await consent([other], []);
    await page.waitForTimeout(AFTER_MS);
  }

  // The SDK alone: the event-path bench page (the same tag, no bundle, no slot, no subscriber).
  const bare = await context.newPage();
  await bare.goto(`${base}/bench/track-bench.html`);
  await bare.waitForFunction(() => typeof window.attune?.client === 'object' && window.__bench);
  await bare.evaluate(async () => {
    await window.attune.client.ready;
    await window.attune.client.consent.grant();
  });
  const bareCdp = await context.newCDPSession(bare);
  await bareCdp.send('Performance.enable');
  const bareTaskMs = async () => (await bareCdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration').value * 1000;
  const bareSamples = { idle: [], track: [], idb: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of Object.keys(bareSamples)) {
      const before = await bareTaskMs();
      await bare.evaluate(pageRound, [kind, CALLS, SPACING_MS, AFTER_MS]);
      bareSamples[kind].push((await bareTaskMs()) - before);
    }
  }

  const idle = median(samples.idle);
  const cost = (values) => Math.max(0, median(values) - idle);
  const rows = [
    [`${CALLS} track(), both purposes granted`, cost(samples.track)],
    [`${CALLS} track(), personalization only`, cost(only.personalization)],
    [`${CALLS} track(), analytics only`, cost(only.analytics)],
    [`baseline: ${CALLS} bare IndexedDB put transactions`, cost(samples.idb)],
    [`${CALLS} track() on a page with no bundle, slot or subscriber (the SDK alone)`, Math.max(0, median(bareSamples.track) - median(bareSamples.idle))],
    [`baseline on that page: ${CALLS} bare IndexedDB put transactions`, Math.max(0, median(bareSamples.idb) - median(bareSamples.idle))],
    [`baseline: ${CALLS} fetch POSTs to the collector`, cost(samples.fetch)],
    [`baseline: ${CALLS} DOM text writes`, cost(samples.dom)],
  ];
  const fmt = (ms) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  console.log(`\n## Events as pages produce them, demo shop (${new Date().toISOString().slice(0, 10)})\n`);
  console.log(`- headless Chromium ${browser.version()}, page and collector on 127.0.0.1; ${CALLS} calls ${SPACING_MS} ms apart, then ${AFTER_MS} ms for what they left to do; ${ROUNDS} rounds each, interleaved, medians`);
  console.log(`- main-thread time: CDP TaskDuration over the round, minus an idle round (${fmt(idle)}); the page's own subscriber (the demo's profile panel) runs too, as it would for a visitor`);
  console.log('\n| workload | main-thread time | per call |');
  console.log('|---|---:|---:|');
  for (const [name, ms] of rows) console.log(`| ${name} | ${fmt(ms)} | ${((ms * 1000) / CALLS).toFixed(0)} µs |`);
  const met = cost(samples.track) < cost(samples.idb);
  const bareMet = median(bareSamples.track) < median(bareSamples.idb);
  console.log(`\nTarget (issue 17): ${CALLS} spaced track() cost less than ${CALLS} bare IndexedDB transactions made the same way: on the demo shop **${met ? 'met' : 'not met'}**; the SDK alone **${bareMet ? 'met' : 'not met'}**.`);
  console.log(`Delivered to the collector: ${delivered} of ${CALLS * ROUNDS} product_viewed events of the interleaved rounds${pageErrors.length ? `; page errors: ${pageErrors.map(String).join('; ')}` : ''}.`);
} catch (error) {
  console.error(`page-events.bench failed: ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  await browser?.close();
  await collector.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);
