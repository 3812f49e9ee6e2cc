// Experiment assignment benchmark (Node, the built @attune/core): assignVariant, assignFactors and
// murmur3_x86_32 on UUID-like unit ids, and the hash over TextEncoder bytes for comparison (why
// murmur3.ts encodes UTF-8 by hand). Run after `npm run build`:  node bench/assign.bench.mjs
// Numbers are printed as a table; nothing here asserts on time.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = resolve(repo, 'packages/core/dist/index.js');
if (!existsSync(entry)) {
  console.error('assign.bench: packages/core/dist is missing: build first (npm run build).');
  process.exit(1);
}
const { assignFactors, assignVariant, murmur3_x86_32 } = await import(entry);

const UNITS = 20_000;
const RUNS = 7;
const random = prng(0xa551);
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const units = Array.from({ length: UNITS }, () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`);
const unicodeUnits = units.map((unit, i) => `ユーザー-${i}-${unit.slice(0, 8)}-ü`);

const experiment = { id: 'checkout-cta', holdout: 0.05, traffic: 0.8, variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }] };
const mvt = {
  id: 'landing-mvt',
  factors: [
    { id: 'headline', levels: [{ id: 'a' }, { id: 'b' }] },
    { id: 'button', levels: [{ id: 'green' }, { id: 'blue' }, { id: 'red' }] },
    { id: 'image', levels: [{ id: 'photo' }, { id: 'drawing' }] },
  ],
};

/** Hash of the TextEncoder bytes: the obvious alternative to the hand-written UTF-8 encoder. */
let encoder;
const viaTextEncoder = (text) => murmur3_x86_32((encoder ??= new TextEncoder()).encode(text));

let sink = 0;
/** Median nanoseconds per call of `fn` over `inputs`. */
function measure(fn, inputs) {
  const samples = [];
  for (let run = 0; run < RUNS + 2; run++) {
    const start = process.hrtime.bigint();
    for (const input of inputs) {
      const result = fn(input);
      sink ^= typeof result === 'number' ? result : result.u * 1e9;
    }
    if (run >= 2) samples.push(Number(process.hrtime.bigint() - start) / inputs.length); // 2 warm-up runs
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

const ns = (value) => `${value.toFixed(0)} ns`;
const keys = units.map((unit) => `${experiment.id}:${unit}`);
const unicodeKeys = unicodeUnits.map((unit) => `${experiment.id}:${unit}`);
const rows = [
  ['assignVariant (holdout, traffic, 3 weighted variants; UUID unit id)', measure((unit) => assignVariant(experiment, unit), units)],
  ['assignFactors (3 factors: 4 hashes)', measure((unit) => assignFactors(mvt, unit), units)],
  ['murmur3_x86_32 of a 49-character ASCII key', measure((key) => murmur3_x86_32(key), keys)],
  ['the same over TextEncoder bytes (for comparison)', measure(viaTextEncoder, keys)],
  ['murmur3_x86_32 of a non-ASCII key (~40 characters)', measure((key) => murmur3_x86_32(key), unicodeKeys)],
  ['the same over TextEncoder bytes (for comparison)', measure(viaTextEncoder, unicodeKeys)],
];

console.log('# Assignment benchmark (Node)\n');
console.log(`- date: ${new Date().toISOString()}; node ${process.version} (${process.platform}/${process.arch}); ${UNITS.toLocaleString('en-US')} unit ids, median of ${RUNS} runs\n`);
console.log('| measure | median per call |');
console.log('| --- | ---: |');
for (const [name, value] of rows) console.log(`| ${name} | ${ns(value)} |`);
if (sink === 0.5) console.log(''); // keeps the results alive
