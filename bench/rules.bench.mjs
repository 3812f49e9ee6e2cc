// Rule evaluation benchmark: Attune's compileRule against json-logic-js and json-logic-engine.
// Run after `npm run build`:  node bench/rules.bench.mjs
// ATTUNE_CORE=/abs/path/to/bundle.mjs points it at another build of @attune/core.
import { isDeepStrictEqual } from 'node:util';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import { prng } from './prng.mjs';

const corePath = process.env.ATTUNE_CORE ?? '../packages/core/dist/index.js';
const { compileRule } = await import(new URL(corePath, import.meta.url).href);

const RULES = 500;
const CONTEXTS = 1000;
const RUNS = 7;
const WARMUP_RUNS = 2;

const random = prng(0x5eed);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const some = (list, min, max) => list.filter(() => random() < 0.5).slice(0, int(min, max)).concat(pick(list));

const PATHS = ['/', '/shop', '/shop/shoes', '/shop/shoes/42', '/shop/bags/7', '/blog/spring-sale', '/cart', '/checkout', '/account'];
const DEVICES = ['mobile', 'desktop', 'tablet'];
const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR'];
const SOURCES = ['google', 'newsletter', 'facebook', 'instagram', 'partner', null];
const MEDIUMS = ['cpc', 'email', 'social', 'referral', null];
const PLANS = ['free', 'basic', 'pro', 'enterprise'];
const INTERESTS = ['shoes', 'bags', 'sale', 'running', 'outdoor', 'kids', 'jewelry'];
const COUNTERS = ['page_view', 'add_to_cart', 'purchase', 'session'];

function makeContext() {
  const path = pick(PATHS);
  const source = pick(SOURCES);
  const traits = { plan: pick(PLANS), ltv: Math.round(random() * 50000) / 100, vip: random() < 0.1, interests: some(INTERESTS, 0, 3) };
  if (random() < 0.6) traits.email_domain = pick(['gmail.com', 'example.com', 'corp.test']);
  if (random() < 0.3) traits.age = int(18, 80);
  const counters = {};
  for (const name of COUNTERS) if (random() < 0.85) counters[name] = int(0, name === 'page_view' ? 60 : 8);
  return {
    context: {
      page: { path, url: `https://shop.example${path}${source ? `?utm_source=${source}` : ''}` },
      device: { type: pick(DEVICES) },
      locale: pick(LOCALES),
      campaign: { source, medium: source ? pick(MEDIUMS) : null },
    },
    profile: { traits, counters },
  };
}

const counter = () => ({ var: `profile.counters.${pick(COUNTERS)}` });
/** The leaf condition shapes personalization rules use, by number (0-15), for the breakdown below. */
const SHAPES = [
  '== device type', '>= counter', 'locale in list', 'text in page path', '+ of two counters >', '* trait <',
  'some interest ==', 'all interests in list', 'substr of locale ==', 'cat of campaign ==', '! missing',
  'missing_some', '<= between', '!! trait', '=== trait', '% counter !=',
];
/** One leaf condition, drawn from the shapes personalization rules use (or the given shape). */
function condition(shape = int(0, 15)) {
  switch (shape) {
    case 0: return { '==': [{ var: 'context.device.type' }, pick(DEVICES)] };
    case 1: return { '>=': [counter(), int(1, 20)] };
    case 2: return { in: [{ var: 'context.locale' }, some(LOCALES, 1, 4)] };
    case 3: return { in: [pick(['/shop', '/blog', 'shoes', 'sale']), { var: 'context.page.path' }] };
    case 4: return { '>': [{ '+': [counter(), counter()] }, int(2, 40)] };
    case 5: return { '<': [{ '*': [{ var: 'profile.traits.ltv' }, 1.2] }, int(50, 500)] };
    case 6: return { some: [{ var: 'profile.traits.interests' }, { '==': [{ var: '' }, pick(INTERESTS)] }] };
    case 7: return { all: [{ var: 'profile.traits.interests' }, { in: [{ var: '' }, some(INTERESTS, 2, 5)] }] };
    case 8: return { '==': [{ substr: [{ var: 'context.locale' }, 0, 2] }, pick(['en', 'fr', 'de'])] };
    case 9: return { '==': [{ cat: [{ var: 'context.campaign.source' }, '/', { var: 'context.campaign.medium' }] }, pick(['google/cpc', 'newsletter/email'])] };
    case 10: return { '!': { missing: ['profile.traits.email_domain', 'context.campaign.source'] } };
    case 11: return { missing_some: [1, ['profile.traits.email_domain', 'profile.traits.age']] };
    case 12: return { '<=': [int(0, 3), { var: ['profile.counters.session', 0] }, int(4, 10)] };
    case 13: return { '!!': { var: 'profile.traits.vip' } };
    case 14: return { '===': [{ var: 'profile.traits.plan' }, pick(PLANS)] };
    default: return { '!=': [{ '%': [{ var: ['profile.counters.page_view', 0] }, int(2, 5)] }, 0] };
  }
}

function rule(depth) {
  if (depth === 0 || random() < 0.35) return condition();
  const r = random();
  const children = () => Array.from({ length: int(2, 4) }, () => rule(depth - 1));
  if (r < 0.4) return { and: children() };
  if (r < 0.7) return { or: children() };
  if (r < 0.8) return { '!': rule(depth - 1) };
  return { if: [rule(depth - 1), pick(['a', 'b']), rule(depth - 1), 'c', pick([true, 'd', null])] };
}

const rules = Array.from({ length: RULES }, () => rule(int(0, 3)));
/** Operations in a rule, to put "per rule" in perspective. */
const countOps = (r) =>
  Array.isArray(r) ? r.reduce((n, x) => n + countOps(x), 0)
  : r && typeof r === 'object' ? 1 + countOps(Object.values(r).flat()) : 0;
const meanOps = rules.reduce((n, r) => n + countOps(r), 0) / RULES;
const contexts = Array.from({ length: CONTEXTS }, makeContext);

// --- implementations ------------------------------------------------------------------------
const interpreted = new LogicEngine();
const builder = new LogicEngine();

/** Median of `reps` timings of `fn`, in ns per rule, after untimed warm-up passes. */
function perRule(fn, reps) {
  for (let i = 0; i < 3; i++) fn();
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / RULES);
  }
  return samples.sort((a, b) => a - b)[Math.floor(reps / 2)];
}
let compiled;
const compileNs = perRule(() => (compiled = rules.map((r) => compileRule(r))), 11);
let built;
const buildNs = perRule(() => (built = rules.map((r) => builder.build(r))), 3);
const noop = () => true;

/** Each implementation evaluates rule `i` against `data`. */
const implementations = [
  { name: 'Attune compileRule', eval: (i, data) => compiled[i](data) },
  { name: 'json-logic-js', eval: (i, data) => jsonLogic.apply(rules[i], data) },
  { name: 'json-logic-engine (run)', eval: (i, data) => interpreted.run(rules[i], data) },
  { name: 'json-logic-engine (build)', eval: (i, data) => built[i](data) },
];

// --- agreement ------------------------------------------------------------------------------
const disagreements = new Map(implementations.map((impl) => [impl.name, 0]));
const firstDisagreement = new Map();
const truthyByRule = new Array(RULES).fill(0);
for (const data of contexts) {
  for (let i = 0; i < RULES; i++) {
    const expected = jsonLogic.apply(rules[i], data);
    if (jsonLogic.truthy(expected)) truthyByRule[i]++;
    for (const impl of implementations) {
      const actual = impl.eval(i, data);
      if (!isDeepStrictEqual(actual, expected)) {
        disagreements.set(impl.name, disagreements.get(impl.name) + 1);
        if (!firstDisagreement.has(impl.name)) firstDisagreement.set(impl.name, { rule: rules[i], actual, expected });
      }
    }
  }
}

// --- timing ---------------------------------------------------------------------------------
// Loops are written out per implementation (not through impl.eval) so each call site stays
// monomorphic and the harness does not dominate; a sink keeps V8 from dropping the calls.
let sink = 0;
const loops = {
  // Calibration: what the harness itself costs per call on this machine.
  'baseline: empty function': () => {
    for (let c = 0; c < CONTEXTS; c++) {
      const data = contexts[c];
      for (let i = 0; i < RULES; i++) if (noop(data)) sink++;
    }
  },
  'Attune compileRule': () => {
    for (let c = 0; c < CONTEXTS; c++) {
      const data = contexts[c];
      for (let i = 0; i < RULES; i++) if (compiled[i](data)) sink++;
    }
  },
  'json-logic-js': () => {
    for (let c = 0; c < CONTEXTS; c++) {
      const data = contexts[c];
      for (let i = 0; i < RULES; i++) if (jsonLogic.apply(rules[i], data)) sink++;
    }
  },
  'json-logic-engine (run)': () => {
    for (let c = 0; c < CONTEXTS; c++) {
      const data = contexts[c];
      for (let i = 0; i < RULES; i++) if (interpreted.run(rules[i], data)) sink++;
    }
  },
  'json-logic-engine (build)': () => {
    for (let c = 0; c < CONTEXTS; c++) {
      const data = contexts[c];
      for (let i = 0; i < RULES; i++) if (built[i](data)) sink++;
    }
  },
};

const EVALS = RULES * CONTEXTS;
const results = [];
for (const name of Object.keys(loops)) {
  const loop = loops[name];
  for (let i = 0; i < WARMUP_RUNS; i++) loop();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    loop();
    samples.push(Number(process.hrtime.bigint() - t0) / EVALS);
  }
  samples.sort((a, b) => a - b);
  results.push({ name, median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] });
}

// --- breakdown by condition shape: Attune only, 100 single-condition rules per shape ----------
const SHAPE_RULES = 100;
const byShape = SHAPES.map((name, shape) => {
  const compiledShape = Array.from({ length: SHAPE_RULES }, () => compileRule(condition(shape)));
  const loop = () => {
    for (let c = 0; c < CONTEXTS; c++) {
      const data = contexts[c];
      for (let i = 0; i < SHAPE_RULES; i++) if (compiledShape[i](data)) sink++;
    }
  };
  for (let i = 0; i < WARMUP_RUNS; i++) loop();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    loop();
    samples.push(Number(process.hrtime.bigint() - t0) / (SHAPE_RULES * CONTEXTS));
  }
  return { name, median: samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] };
});

// --- each rule on its own: the distribution over rules ---------------------------------------
// Rule by rule (one rule against every context, then the next), after the mixed runs above. Type
// feedback is then as shared as in a bundle, but the CPU predicts the calls of one rule far
// better than in the mixed order: these are the most favourable figures, per rule.
const ruleAlone = [
  { name: 'Attune compileRule', eval: (i, data) => compiled[i](data) },
  { name: 'json-logic-js', eval: (i, data) => jsonLogic.apply(rules[i], data) },
  { name: 'json-logic-engine (build)', eval: (i, data) => built[i](data) },
].map(({ name, eval: run }) => {
  const perRule = [];
  for (let i = 0; i < RULES; i++) {
    const samples = [];
    for (let rep = 0; rep < 5; rep++) {
      const t0 = process.hrtime.bigint();
      for (let c = 0; c < CONTEXTS; c++) if (run(i, contexts[c])) sink++;
      samples.push(Number(process.hrtime.bigint() - t0) / CONTEXTS);
    }
    perRule.push(samples.sort((a, b) => a - b)[2]);
  }
  perRule.sort((a, b) => a - b);
  const at = (q) => perRule[Math.floor(q * (RULES - 1))];
  return { name, p25: at(0.25), median: at(0.5), p90: at(0.9), mean: perRule.reduce((a, b) => a + b, 0) / RULES };
});

// --- report ---------------------------------------------------------------------------------
const reference = results.find((r) => r.name === 'json-logic-js').median;
const fmt = (ns) => ns.toFixed(ns < 100 ? 1 : 0);
const alwaysOrNever = truthyByRule.filter((n) => n === 0 || n === CONTEXTS).length;

console.log(`# Rule evaluation benchmark\n`);
console.log(`- date: ${new Date().toISOString()}`);
console.log(`- node: ${process.version} (${process.platform}/${process.arch})`);
console.log(`- attune core: ${corePath}`);
console.log(`- workload: ${RULES} rules x ${CONTEXTS} contexts = ${EVALS.toLocaleString('en-US')} evaluations per run; ` +
  `${WARMUP_RUNS} warm-up + ${RUNS} timed runs per implementation`);
console.log(`- rule size: ${meanOps.toFixed(1)} operations per rule on average (and/or/if/! nesting up to 3 levels)`);
console.log(`- rules that are true for some contexts and false for others: ${RULES - alwaysOrNever}/${RULES}`);
console.log(`- compile: Attune compileRule ${fmt(compileNs)} ns/rule; json-logic-engine build ${fmt(buildNs)} ns/rule (medians, excluded from eval times)\n`);
console.log('| implementation | ns/eval (median) | min | max | vs json-logic-js |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const ratio = r.name.startsWith('baseline') ? 'n/a' : r.name === 'json-logic-js' ? '1.0x (reference)' : `${(reference / r.median).toFixed(1)}x faster`;
  console.log(`| ${r.name} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${ratio} |`);
}
console.log('\njson-logic-engine (run) is its default interpreter, which caches an optimized plan per rule object;');
console.log('(build) is its compiler, which generates JavaScript source and runs it through eval (blocked by a strict CSP).');
console.log('\nDisagreements with json-logic-js (rule x context results that are not deep-equal):');
for (const [name, count] of disagreements) {
  if (name === 'json-logic-js') continue;
  console.log(`- ${name}: ${count}`);
  const first = firstDisagreement.get(name);
  if (first) console.log(`  first: ${JSON.stringify(first.rule)} gave ${JSON.stringify(first.actual)}, expected ${JSON.stringify(first.expected)}`);
}
const opsSorted = rules.map(countOps).sort((a, b) => a - b);
console.log(`\nEach rule on its own (one rule against the ${CONTEXTS} contexts, rule after rule; the median rule has ${opsSorted[RULES >> 1]} operations), ns/eval over the ${RULES} rules:\n`);
console.log('| implementation | p25 | median rule | p90 | mean |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of ruleAlone) console.log(`| ${r.name} | ${fmt(r.p25)} | ${fmt(r.median)} | ${fmt(r.p90)} | ${fmt(r.mean)} |`);
console.log('\nThe mixed order (the table at the top) is how a bundle evaluates its rules; rule after rule, a rule\'s');
console.log('calls repeat, which favours generated code (json-logic-engine build) most.');
console.log('\nAttune by condition shape: single-condition rules of one shape (100 rules x the same contexts), ns/eval:\n');
console.log('| condition | ns/eval (median) |');
console.log('| --- | ---: |');
for (const r of byShape) console.log(`| ${r.name} | ${fmt(r.median)} |`);
console.log(`\n(sink ${sink})`);
