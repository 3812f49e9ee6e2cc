// attune report over a million events: the time from the NDJSON file to the finished report
// (DuckDB loads and aggregates; the statistics run on the aggregates), and the process's peak
// memory, for 100,000 and 1,000,000 events. Prints a table; asserts nothing.
// Run:  node bench/report.bench.mjs   (no build needed: the CLI runs from its sources)
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { prng } from './prng.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { runReport } = await import(join(repo, 'packages/cli/src/report-command.mjs'));
const SIZES = [100_000, 1_000_000];
const T0 = Date.parse('2026-11-01T00:00:00Z');

/** Writes about `total` events: per visitor a page view, an exposure of cta-test, product views, sometimes an add to cart. */
async function writeEvents(file, total) {
  const random = prng(total);
  const out = createWriteStream(file);
  let written = 0;
  let visitor = 0;
  const write = async (line) => {
    written++;
    if (!out.write(line)) await once(out, 'drain');
  };
  while (written < total) {
    const anonymousId = `v-${visitor++}`;
    const sessionId = `s-${visitor}`;
    const start = T0 + Math.floor(random() * 14 * 86_400_000);
    const u = random();
    const variant = u < 0.1 ? 'holdout' : u < 0.55 ? 'control' : 'urgency';
    const event = (name, at, properties) =>
      `${JSON.stringify({ id: `${anonymousId}-${written}`, type: 'track', name, timestamp: new Date(at).toISOString(), anonymousId, userId: null, sessionId, properties })}\n`;
    await write(event('page_view', start, { path: '/shop/' }));
    await write(event('experiment_exposure', start + 1000, { experiment: 'cta-test', variant, experience: 'cta-test', slot: 'home.cta' }));
    for (let i = 0; i < 2; i++) await write(event('product_viewed', start + 2000 + i * 1000, { sku: `SKU-${Math.floor(random() * 50)}`, category: 'outerwear' }));
    if (random() < (variant === 'urgency' ? 0.13 : variant === 'control' ? 0.1 : 0.08)) await write(event('add_to_cart', start + 60_000, { sku: 'JKT-1', revenue: 129 }));
  }
  out.end();
  await once(out, 'finish');
  return written;
}

const dir = mkdtempSync(join(tmpdir(), 'attune-report-bench-'));
const rows = [];
try {
  for (const size of SIZES) {
    const file = join(dir, `events-${size}.ndjson`);
    const events = await writeEvents(file, size);
    const started = performance.now();
    const report = await runReport({ events: [file], bundle: join(repo, 'examples/bundles/shop.json'), goal: ['add_to_cart'] });
    const seconds = (performance.now() - started) / 1000;
    const experiment = report.experiments.find((entry) => entry.id === 'cta-test');
    const units = experiment.goals[0].variants.reduce((sum, row) => sum + row.units, 0);
    rows.push({ events, megabytes: statSync(file).size / 1e6, seconds, units, srm: experiment.srm.flagged ? 'flagged' : 'ok' });
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(`\n## attune report over NDJSON events (${new Date().toISOString().slice(0, 10)}, node ${process.version}, DuckDB via @duckdb/node-api)\n`);
console.log('| events | file | load + aggregate + statistics | units in cta-test | SRM |');
console.log('|---:|---:|---:|---:|---|');
for (const row of rows) console.log(`| ${row.events.toLocaleString('en-US')} | ${row.megabytes.toFixed(0)} MB | ${row.seconds.toFixed(2)} s | ${row.units.toLocaleString('en-US')} | ${row.srm} |`);
console.log(`\nPeak memory of the process (max RSS, both runs): ${peakMb.toFixed(0)} MB. Target (issue 19): 1,000,000 events in under 10 s with memory bounded.`);
