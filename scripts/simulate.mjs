// Synthetic visitors with a known effect, through the demo bundle's A/B test, posted to the dev
// collector, so its live report (/report) has data to show on a fresh machine:
//   npm start            (in one terminal)
//   npm run simulate     (in another; --visitors 3000 --collector http://127.0.0.1:8787 --seed 1)
// Each visitor is assigned to the "cta-test" experiment with the SDK's own assignment function
// (the same variant a browser would get), sees it (an experiment_exposure, or the holdout's), and
// adds to cart with the probability of its group: control 10%, urgency 13%, holdout 8%. The
// report should find urgency ahead of control (a true relative lift of +30%), personalization
// ahead of the holdout, and no sample ratio mismatch.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
let core;
try {
  core = await import('../packages/core/dist/index.js');
} catch {
  console.error('simulate: @attune/core is not built: run npm run build first (npm start builds it).');
  process.exit(1);
}
const { assignVariant, mulberry32 } = core;
const { values } = parseArgs({
  options: {
    collector: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 8787}` },
    visitors: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '20261207' },
  },
});
const EXPERIMENT = 'cta-test';
const RATES = { control: 0.1, urgency: 0.13, holdout: 0.08 };
const visitors = Number(values.visitors);
if (!(Number.isInteger(visitors) && visitors > 0 && visitors <= 1_000_000)) {
  console.error(`simulate: --visitors must be a whole number from 1 to 1,000,000, not "${values.visitors}"`);
  process.exit(2);
}

const bundle = JSON.parse(readFileSync(`${repo}/examples/bundles/shop.json`, 'utf8'));
const experience = bundle.experiences.find((entry) => entry.experiment?.id === EXPERIMENT);
if (!experience) {
  console.error(`simulate: the demo bundle has no experiment "${EXPERIMENT}"`);
  process.exit(1);
}

const random = mulberry32(Number(values.seed));
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`;
const now = Date.now();
const SPAN_MS = 3 * 86_400_000; // visits over the last three days

const events = [];
const counts = { control: 0, urgency: 0, holdout: 0, 'not in traffic': 0 };
for (let i = 0; i < visitors; i++) {
  const anonymousId = uuid();
  const sessionId = uuid();
  const assignment = assignVariant({ id: EXPERIMENT, holdout: experience.experiment.holdout, traffic: experience.experiment.traffic, variants: experience.variants }, anonymousId);
  const variant = assignment.status === 'assigned' ? assignment.variant : assignment.status === 'holdout' ? 'holdout' : undefined;
  counts[variant ?? 'not in traffic']++;
  const start = now - SPAN_MS + Math.floor(random() * SPAN_MS);
  const event = (type, name, at, properties) => ({
    id: uuid(), type, name, timestamp: new Date(at).toISOString(), anonymousId, userId: null, sessionId, properties, consent: ['analytics', 'personalization'],
  });
  events.push(event('page', 'page_view', start, { path: '/shop/' }));
  if (variant === undefined) continue;
  events.push(event('track', 'experiment_exposure', start + 1000, { experiment: EXPERIMENT, variant, experience: experience.id, slot: experience.slot }));
  if (random() < RATES[variant]) events.push(event('track', 'add_to_cart', start + 60_000 + Math.floor(random() * 600_000), { sku: 'JKT-1' }));
}

let sent = 0;
try {
  for (let start = 0; start < events.length; start += 500) {
    const batch = events.slice(start, start + 500);
    const response = await fetch(`${values.collector}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ batch, sentAt: new Date().toISOString() }) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    sent += batch.length;
  }
} catch (error) {
  console.error(`simulate: could not post to ${values.collector}/collect (${error.message}): start the demo first (npm start), or pass --collector <url>`);
  process.exit(1);
}
console.log(`Posted ${sent} events of ${visitors} visitors to ${values.collector}/collect`);
console.log(`  ${EXPERIMENT}: ${Object.entries(counts).map(([group, n]) => `${group} ${n}`).join(', ')} (true add-to-cart rates: control 10%, urgency 13%, holdout 8%)`);
console.log(`Open ${values.collector}/report to read which variant wins.`);
