// Profile benchmark (Node, the built @attune/core modules): the cost of updating the local profile
// per event, of `count(event, 7d)`, and the memory the aggregates hold after 100,000 events.
// Run after `npm run build`:  node --expose-gc bench/profile.bench.mjs   (npm run bench does both)
// Numbers are printed as a table; nothing here asserts on time.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(repo, 'packages/core/dist/profile');
if (!existsSync(resolve(dist, 'profile-data.js'))) {
  console.error('profile.bench: packages/core/dist is missing: build first (npm run build).');
  process.exit(1);
}
const { applyEvent, emptyProfileData, DEFAULT_PROFILE_RULES } = await import(resolve(dist, 'profile-data.js'));
const { countWithin } = await import(resolve(dist, 'event-aggregate.js'));
const gc = globalThis.gc ?? (() => {});

const DAY = 86_400_000;
const NAMES = ['page_view', 'product_viewed', 'add_to_cart', 'search', 'purchase', 'newsletter_signup', 'video_play', 'scroll_depth', 'click', 'form_start'];
const CATEGORIES = ['outerwear', 'footwear', 'accessories', 'bags', 'knitwear', 'denim', 'sportswear', 'sale'];
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

/** n realistic events spread over `spanMs` ending at `endMs`, in time order, sessions every ~20 events. */
function events(n, spanMs, endMs) {
  const list = [];
  for (let i = 0; i < n; i++) {
    const name = NAMES[Math.floor(random() ** 2 * NAMES.length)];
    const properties = { category: CATEGORIES[Math.floor(random() * CATEGORIES.length)], product_id: `sku-${Math.floor(random() * 500)}`, price: 19.99 };
    if (name === 'purchase') properties.revenue = 59.9;
    list.push({ id: `e-${String(i).padStart(8, '0')}`, name, timestampMs: endMs - spanMs + (i / n) * spanMs, sessionId: `s-${Math.floor(i / 20)}`, properties });
  }
  return list;
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
const ns = (v) => `${v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')} ns`;

const now = Date.parse('2026-11-23T12:00:00Z');
const rules = DEFAULT_PROFILE_RULES;

// 1. Update cost per event: a profile that already holds 2,000 events, then 10,000 more per round.
const update = [];
for (let round = 0; round < 7; round++) {
  const data = emptyProfileData();
  for (const event of events(2_000, 30 * DAY, now - DAY)) applyEvent(data, event, rules);
  const batch = events(10_000, DAY, now).map((event) => ({ ...event, id: `n-${event.id}` }));
  const t0 = process.hrtime.bigint();
  for (const event of batch) applyEvent(data, event, rules);
  if (round > 1) update.push(Number(process.hrtime.bigint() - t0) / batch.length);
}

// 2. count(event, window) on a profile with 100,000 events over two years.
const big = emptyProfileData();
for (const event of events(100_000, 730 * DAY, now)) applyEvent(big, event, rules);
// The heap an independent copy of the profile takes (the generated events are garbage by then).
gc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const copy = deserialize(serialize(big));
gc();
gc();
const heapAfter = process.memoryUsage().heapUsed;
if (!copy.events) throw new Error('unreachable');
const storedBytes = serialize(big).length;
const lookups = {};
for (const window of [['30m', 30 * 60_000], ['7d', 7 * DAY], ['30d', 30 * DAY], ['365d', 365 * DAY]]) {
  const samples = [];
  for (let round = 0; round < 7; round++) {
    let sum = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100_000; i++) sum += countWithin(big.events[NAMES[i % NAMES.length]], window[1], now);
    samples.push(Number(process.hrtime.bigint() - t0) / 100_000);
    if (sum < 0) console.log(sum);
  }
  lookups[window[0]] = median(samples);
}
const buckets = Object.values(big.events).reduce((sum, a) => sum + a.minutes.length + a.hours.length + a.days.length, 0);

console.log('# Profile benchmark (Node)\n');
console.log(`- date: ${new Date().toISOString()}; node ${process.version} (${process.platform}/${process.arch})${globalThis.gc ? '' : '; run with --expose-gc for exact heap numbers'}`);
console.log(`- events: ${NAMES.length} names, category/product_id/price properties, default profile rules (3 affinity dimensions, items, purchases, 100 recent events, 500 seen ids)\n`);
console.log('| measure | median | target |');
console.log('| --- | ---: | ---: |');
console.log(`| profile update per event (applyEvent; profile of 2,000 events, 10,000 more per round) | ${ns(median(update))} |  |`);
for (const [window, value] of Object.entries(lookups)) console.log(`| count(event, ${window}) on a 100,000-event profile | ${ns(value)} |  |`);
console.log(`| memory after 100,000 events over 2 years: heap of the profile | ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB | < 5 MB |`);
console.log(`| the same profile stored (structured clone bytes) | ${(storedBytes / 1024).toFixed(0)} KiB | < 5 MB |`);
console.log(`| buckets held (all names, all tiers) | ${buckets.toLocaleString('en-US')} | bounded |`);
