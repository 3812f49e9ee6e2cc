// Decision benchmark (Node, the built @attune/core modules): decideAll() and decide(slot) on a bundle
// of 100 experiences and 500 rules, for visitors whose profiles hold 2,000 events each.
// Run after `npm run build`:  node --expose-gc bench/decide.bench.mjs   (npm run bench does both)
// Every call is timed on its own; the table gives p50/p99 per run, the median over runs.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, DEVICES, NAMES, PATHS, SOURCES, generateBundle } from './generate-bundle.mjs';
import { prng } from './prng.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(repo, 'packages/core/dist');
if (!existsSync(resolve(dist, 'decide/decide.js'))) {
  console.error('decide.bench: packages/core/dist is missing: build first (npm run build).');
  process.exit(1);
}
const load = (file) => import(resolve(dist, file));
const { validateBundle } = await load('bundle/validate-bundle.js');
// compileBundle with every part the client may load but models (experiments, rarely used operators).
const { compileBundle } = await load('decide/compile-standalone.js');
const { decide, decideAll } = await load('decide/decide.js');
const { localDayKey } = await load('decide/decision-state.js');
const { newPageView } = await load('decide/page-view.js');
const { createProfileState } = await load('profile/profile-state.js');
const { DEFAULT_PROFILE_RULES } = await load('profile/profile-data.js');
const { profileUpdates } = await load('profile/profile-updates.js');

const EXPERIENCES = 100;
const SLOTS = 25;
const SEGMENTS = 400; // + one audience rule per experience = 500 rules
const VISITORS = 16;
const EVENTS_PER_VISITOR = 2_000;
const CALLS = 4_000; // timed calls per run
const RUNS = 7;
const WARMUP_RUNS = 2;

const random = prng(0xdec1de);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');

// --- the bundle -------------------------------------------------------------------------------
const bundleJson = generateBundle(random, { experiences: EXPERIENCES, slots: SLOTS, segments: SEGMENTS });
const { segments, experiences } = bundleJson;

// --- visitors -----------------------------------------------------------------------------------
/** A visitor with `EVENTS_PER_VISITOR` events over 60 days, a rule host over the profile, a context. */
function visitor(n) {
  const profile = createProfileState(DEFAULT_PROFILE_RULES, () => undefined, profileUpdates);
  for (let i = 0; i < EVENTS_PER_VISITOR; i++) {
    const name = NAMES[Math.floor(random() ** 2 * NAMES.length)];
    const properties = { category: pick(CATEGORIES), product_id: `sku-${int(0, 300)}` };
    if (name === 'purchase') properties.revenue = 59.9;
    profile.apply({ id: `v${n}-e${String(i).padStart(6, '0')}`, name, timestampMs: NOW - 60 * DAY + (i / EVENTS_PER_VISITOR) * 60 * DAY, properties });
  }
  const source = pick(SOURCES);
  const context = { page: { path: pick(PATHS) }, device: { type: pick(DEVICES) }, campaign: source ? { source } : {} };
  return { profile, snapshot: profile.get(NOW), context, anonymousId: `anon-${n}` };
}
const visitors = Array.from({ length: VISITORS }, (_, n) => visitor(n));

// The client's host reads the live profile; here it reads the visitor being decided.
let current = visitors[0];
const host = {
  now: () => NOW,
  count: (name, windowMs) => current.profile.count(name, windowMs, NOW),
  stats: (name) => (Object.hasOwn(current.snapshot.events, name) ? current.snapshot.events[name] : undefined),
  recent: () => current.profile.stored().data.recent,
};
const t0 = process.hrtime.bigint();
const compiled = compileBundle(validateBundle(bundleJson), host);
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
// The same bundle with every rule a trivial false test: what the engine itself costs when every
// candidate of every slot is tried (the rules then cost next to nothing).
const trivial = { '==': [{ var: 'context.device.type' }, 'none'] };
const engineOnly = compileBundle(
  validateBundle({
    ...bundleJson,
    segments: segments.map((s) => ({ ...s, when: trivial })),
    experiences: experiences.map((e) => ({ ...e, audience: { ...e.audience, rule: trivial } })),
  }),
  host,
);

// Each visitor has some history: half of the experiments assigned, a few impressions counted.
for (const v of visitors) {
  // The stored state as the client persists it (plain JSON).
  const state = { assignments: {}, caps: {} };
  for (const e of experiences) {
    const factorial = e.experiment?.factors !== undefined;
    if (e.experiment && random() < 0.5) {
      state.assignments[e.experiment.id] = factorial
        ? { unit: v.anonymousId, variant: 'headline=h1|button=x', levels: { headline: 'h1', button: 'x' }, at: NOW - DAY }
        : { unit: v.anonymousId, variant: pick(['a', 'b']), at: NOW - DAY };
    }
    if (e.cap && random() < 0.5) {
      const n = int(1, 3);
      state.caps[e.id] = { lifetime: n + 2, dayKey: localDayKey(NOW), day: n, sessionId: 's1', session: n };
    }
  }
  v.state = JSON.parse(JSON.stringify(state));
  v.input = {
    data: { context: v.context, profile: v.snapshot },
    units: { anonymousId: v.anonymousId, userId: null },
    sessionId: 's1',
    nowMs: NOW,
    personalizationAllowed: true,
    state: v.state,
    pageView: newPageView(),
    onRuleError: () => {},
    onAssign: () => {},
  };
}

// --- timing -------------------------------------------------------------------------------------
const samples = new Float64Array(CALLS);
// When each call started (µs since the run began), to see how slow calls are spaced.
const starts = new Float64Array(CALLS);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
let sink = 0;

/** Times `CALLS` calls of `call(visitor)`, visitors in turn (`same` keeps one visitor), per run. */
function measure(call, { same = false, freshPageView = true } = {}) {
  const p50s = [];
  const p99s = [];
  const maxes = [];
  const slowShares = [];
  const slowExtras = [];
  const slowGaps = [];
  for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
    const runStart = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) {
      current = visitors[same ? 0 : i % VISITORS];
      // A new page view per call: group claims made by earlier calls do not shortcut the work.
      if (freshPageView) current.input = { ...current.input, pageView: newPageView() };
      const input = current.input;
      const start = process.hrtime.bigint();
      sink += call(input);
      samples[i] = Number(process.hrtime.bigint() - start) / 1000;
      starts[i] = Number(start - runStart) / 1000;
    }
    if (run < WARMUP_RUNS) continue;
    const sorted = Float64Array.from(samples).sort();
    const p50 = quantile(sorted, 0.5);
    p50s.push(p50);
    p99s.push(quantile(sorted, 0.99));
    maxes.push(sorted[sorted.length - 1]);
    // Slow calls: what sets p99. Their spacing in time tells a periodic cause (a timer) from the code.
    const slow = [];
    for (let i = 0; i < CALLS; i++) if (samples[i] > 1.5 * p50) slow.push(i);
    slowShares.push(slow.length / CALLS);
    if (slow.length > 0) slowExtras.push(median(slow.map((i) => samples[i] - p50)));
    if (slow.length > 2) slowGaps.push(median(slow.slice(1).map((i, k) => starts[i] - starts[slow[k]])));
  }
  return { p50: median(p50s), p99: median(p99s), p99s, max: median(maxes), slowShare: median(slowShares), slowExtra: median(slowExtras), slowGap: median(slowGaps) };
}

/**
 * Pure arithmetic taking about `us` µs: no SDK code, no allocation, no memory beyond registers.
 * Its p99 is what the machine alone adds to a call of that length.
 */
function arithmeticFor(us) {
  let n = 1000;
  const spin = (k) => {
    let x = 0x9e3779b9;
    for (let j = 0; j < k; j++) x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + j;
    return x & 1;
  };
  for (let round = 0; round < 6; round++) {
    const t = process.hrtime.bigint();
    for (let r = 0; r < 200; r++) sink += spin(n);
    const perCall = Number(process.hrtime.bigint() - t) / 1000 / 200;
    n = Math.max(1, Math.round((n * us) / perCall));
  }
  return () => spin(n);
}

// Clock overhead: an empty timed call.
const empty = measure(() => 0);
const all = measure((input) => decideAll(compiled, input).length);
const oneVisitor = measure((input) => decideAll(compiled, input).length, { same: true });
const allSame = measure((input) => decideAll(compiled, input).length, { same: true, freshPageView: false });
const one = measure((input) => (decide(compiled, 'slot-0', input).reason === 'matched' ? 1 : 0));
const overhead = measure((input) => decideAll(engineOnly, input).length);
const spin = arithmeticFor(all.p50);
const machine = measure(() => spin());

// What a pass does, for context.
let matched = 0;
let reasons = new Map();
for (const v of visitors) {
  current = v;
  for (const d of decideAll(compiled, { ...v.input, pageView: newPageView() })) {
    reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    if (d.reason === 'matched') matched++;
  }
}

const us = (v) => `${v.toFixed(v < 10 ? 2 : 1)} µs`;
console.log('# Decision benchmark (Node)\n');
console.log(`- date: ${new Date().toISOString()}; node ${process.version} (${process.platform}/${process.arch}); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (p99 suffers on a busy machine)`);
console.log(`- bundle: ${EXPERIENCES} experiences in ${SLOTS} slots, ${SEGMENTS} segments + ${EXPERIENCES} audience rules = ${SEGMENTS + EXPERIENCES} rules (count/since/affinity/starts_with/context/profile conditions, 40% reuse a segment), 3 stages, ${experiences.filter((e) => e.experiment).length} experiments (${experiences.filter((e) => e.experiment?.factors).length} multivariate), ${experiences.filter((e) => e.group).length} in exclusion groups, ${experiences.filter((e) => e.cap).length} capped, ${experiences.filter((e) => e.schedule).length} scheduled; validated and compiled in ${compileMs.toFixed(1)} ms (first call, cold)`);
console.log(`- visitors: ${VISITORS}, each with a profile of ${EVENTS_PER_VISITOR.toLocaleString('en-US')} events over 60 days, stored assignments and cap counters; outcomes per pass: ${[...reasons].map(([r, n]) => `${r} ${(n / VISITORS).toFixed(1)}`).join(', ')}`);
console.log(`- ${CALLS.toLocaleString('en-US')} timed calls per run, ${WARMUP_RUNS} warm-up + ${RUNS} runs; each call timed alone (hrtime); p50/p99 are medians over runs\n`);
console.log('| measure | p50 | p99 | p99 per run (min-max) | target |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const row = (name, r, target = '') => console.log(`| ${name} | ${us(r.p50)} | ${us(r.p99)} | ${us(Math.min(...r.p99s))}-${us(Math.max(...r.p99s))} | ${target} |`);
row('decideAll(), visitors in turn, new page view each call', all, 'p99 ≤ 50 µs');
row('decideAll(), one visitor (as in a browser tab), new page view each call', oneVisitor);
row('decideAll(), same visitor and page view (a re-render)', allSame);
row('decide(slot), visitors in turn', one);
row('decideAll() with trivial rules: the engine alone, every candidate tried', overhead);
row(`reference: pure arithmetic of the same length (no SDK code)`, machine);
row('timer overhead (empty call)', empty);
const pct = (share) => `${(100 * share).toFixed(1)} %`;
console.log(`\nSlow calls (over 1.5 × p50), medians over runs: decideAll() ${pct(all.slowShare)} of calls, ${us(all.slowExtra)} over p50, ` +
  `one every ${us(all.slowGap)}; the pure arithmetic ${pct(machine.slowShare)}, ${us(machine.slowExtra)} over p50, one every ${us(machine.slowGap)}. ` +
  'Slow calls spaced by a fixed time rather than a fixed number of calls come from the machine (a timer interrupt), not from the code.');
console.log(`\n(sink ${sink}, matched ${matched})`);
