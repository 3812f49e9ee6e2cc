// The demo shop's recommendations and banner bandit, learned from the shop's own events: writes
// synthetic browsing sessions as the dev collector stores them (examples/events/demo-sessions.ndjson,
// deterministic: a seeded generator), then runs the CLI over them, as a team would over its
// collector's events:
//   attune recs build     → the also-like recommender's neighbors and popularity
//   attune bandit update  → the shipping-banner bandit's posteriors
// into examples/bundles/shop.json (then re-signed). Run: npm run demo:learn
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../packages/core/dist/index.js';
import { signDemoBundles } from './sign-demo-bundles.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const EVENTS = 'examples/events/demo-sessions.ndjson';
const BUNDLE = 'examples/bundles/shop.json';
const SESSIONS = 600;
const START = Date.parse('2026-11-30T08:00:00Z');

/** What visitors come for, and the products they look at then (the catalog of the demo bundle). */
const JOURNEYS = [
  { weight: 4, items: ['JKT-1', 'PON-4', 'HAT-2'] }, // rain gear
  { weight: 4, items: ['BOT-3', 'SCK-5', 'BTL-6', 'JKT-1'] }, // hiking
  { weight: 2, items: ['HAT-2', 'SCK-5', 'JKT-1'] }, // winter
  { weight: 1, items: ['BTL-6', 'PON-4'] }, // day trip
];
/** The banner's arms and how often each leads to an add to cart within the session (ten-off is best). */
const ARMS = { 'free-shipping': 0.08, 'ten-off': 0.14, 'gift-wrap': 0.04 };

const random = mulberry32(20261207);
const pick = (list) => list[Math.floor(random() * list.length)];
const journeyOf = () => {
  let r = random() * JOURNEYS.reduce((sum, j) => sum + j.weight, 0);
  return JOURNEYS.find((j) => (r -= j.weight) < 0) ?? JOURNEYS[0];
};
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`;

const lines = [];
for (let s = 0; s < SESSIONS; s++) {
  const anonymousId = uuid();
  const sessionId = uuid();
  let t = START + s * 17 * 60_000;
  const event = (name, properties = {}, type = 'track') => {
    t += 20_000 + Math.floor(random() * 60_000);
    lines.push(JSON.stringify({ id: uuid(), type, name, timestamp: new Date(t).toISOString(), anonymousId, userId: null, sessionId, properties }));
  };
  event('page_view', { path: '/shop/' }, 'page');
  const arm = pick(Object.keys(ARMS));
  event('experiment_exposure', { experiment: 'shipping-banner', variant: arm, slot: 'home.banner' });
  const journey = journeyOf();
  const viewed = journey.items.filter(() => random() < 0.7);
  if (viewed.length === 0) viewed.push(pick(journey.items));
  if (random() < 0.15) viewed.push(pick(JOURNEYS.flatMap((j) => j.items))); // browsing around
  for (const sku of viewed) event('product_viewed', { sku });
  if (random() < ARMS[arm]) event('add_to_cart', { sku: pick(viewed) });
}
mkdirSync(`${repo}examples/events`, { recursive: true });
writeFileSync(`${repo}${EVENTS}`, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} events of ${SESSIONS} sessions to ${EVENTS}`);

const attune = (...args) => execFileSync(process.execPath, [`${repo}packages/cli/bin/attune.mjs`, ...args], { cwd: repo, stdio: 'inherit' });
attune('recs', 'build', '--events', EVENTS, '--bundle', BUNDLE, '--id', 'also-like', '--min-support', '3', '--top', '5');
attune('bandit', 'update', '--events', EVENTS, '--bundle', BUNDLE, '--experiment', 'shipping-banner');
signDemoBundles({ dirs: ['examples/bundles'], log: console.log });
