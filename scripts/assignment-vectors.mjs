// Writes packages/core/test-vectors/assignment.json: MurmurHash3 and assignment test vectors, so
// server-side code in any language can check it reproduces Attune's experiment assignment.
// Run after `npm run build`:  node scripts/assignment-vectors.mjs [--check]
// --check exits 1 if the file on disk differs from what the current build produces.
// The unit tests (packages/core/test/decide/assign-variant.test.ts) check every vector against a
// naive, independent implementation and the murmur3 ones against published reference values.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const { assignFactors, assignVariant, murmur3_x86_32 } = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
const out = fileURLToPath(new URL('../packages/core/test-vectors/assignment.json', import.meta.url));

const hex = (n) => n.toString(16).padStart(8, '0');
const utf8Hex = (text) => Buffer.from(text, 'utf8').toString('hex');
const hashOf = (key) => {
  const decimal = murmur3_x86_32(key);
  return { key, utf8: utf8Hex(key), hex: hex(decimal), decimal, u: decimal / 2 ** 32 };
};

const BOYD = 'Ian Boyd, https://stackoverflow.com/a/31929528 (checked against SMHasher)';
const GO = 'github.com/spaolacci/murmur3 murmur_test.go';
const ABSMARTLY = 'github.com/absmartly/javascript-sdk src/__tests__/murmur3_32.test.js';

/** [input (string, or bytes as hex with a "bytes:" prefix), seed, source or null when generated]. */
const MURMUR3 = [
  ['bytes:', 0, BOYD],
  ['bytes:', 1, BOYD],
  ['bytes:', 0xffffffff, BOYD],
  ['bytes:ffffffff', 0, BOYD],
  ['bytes:21436587', 0, BOYD],
  ['bytes:21436587', 0x5082edee, BOYD],
  ['bytes:214365', 0, BOYD],
  ['bytes:2143', 0, BOYD],
  ['bytes:21', 0, BOYD],
  ['bytes:00000000', 0, BOYD],
  ['bytes:000000', 0, BOYD],
  ['bytes:0000', 0, BOYD],
  ['bytes:00', 0, BOYD],
  ['', 0, BOYD],
  ['Hello, world!', 0x9747b28c, BOYD],
  ['ππππππππ', 0x9747b28c, BOYD],
  ['a'.repeat(256), 0x9747b28c, BOYD],
  ['abc', 0, BOYD],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, BOYD],
  ['hello', 0, GO],
  ['hello, world', 0, GO],
  ['19 Jan 2038 at 3:14:07 AM', 0, GO],
  ['The quick brown fox jumps over the lazy dog.', 0x2a, GO],
  ['The quick brown fox jumps over the lazy dog', 0, ABSMARTLY],
  ['special characters açb↓c', 0, ABSMARTLY],
  ['special characters açb↓c', 0xdeadbeef, ABSMARTLY],
  // Generated (checked in the tests against a naive BigInt implementation over Node's UTF-8 encoder).
  ['hero-test:user-42', 0, null],
  ['hero-test:3f2a8c1e-9b7d-4e2f-a1c3-5d6e7f8a9b0c', 0, null],
  ['héro-tëst:ユーザー-7', 0, null],
  ['🌵:user-1', 0, null],
  ['emoji 😀 and 𝄞 (four-byte UTF-8)', 0, null],
  ['lone surrogate \ud800 becomes U+FFFD', 0, null],
  ['Ελληνικά:Ünïcödé', 0x9747b28c, null],
];

function murmurVectors() {
  return MURMUR3.map(([input, seed, source]) => {
    const isBytes = input.startsWith('bytes:');
    const bytes = isBytes ? Buffer.from(input.slice(6), 'hex') : Buffer.from(input, 'utf8');
    const decimal = murmur3_x86_32(isBytes ? new Uint8Array(bytes) : input, seed);
    return {
      ...(isBytes ? {} : { input }),
      bytes: bytes.toString('hex'),
      seed,
      hex: hex(decimal),
      decimal,
      source: source ?? 'generated',
    };
  });
}

const candidates = (prefix, count) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** The first units (of `pool`) showing each distinct outcome, up to `perOutcome` of each, in pool order. */
function coverOutcomes(assign, pool, perOutcome) {
  const seen = new Map();
  const picked = [];
  for (const unitId of pool) {
    const result = assign(unitId);
    const outcome = result.status === 'assigned' ? `assigned:${result.variant}` : result.status;
    const n = seen.get(outcome) ?? 0;
    if (n < perOutcome) {
      seen.set(outcome, n + 1);
      picked.push(unitId);
    }
  }
  return picked;
}

const VARIANT_CASES = [
  { description: 'even split: no weights, default traffic and holdout', experiment: { id: 'hero-test', variants: [{ id: 'control' }, { id: 'reminder' }] } },
  {
    description: 'uneven weights 50/30/20',
    experiment: { id: 'checkout-cta', variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }] },
  },
  {
    description: 'fractional weights 0.1/0.2/0.7 (normalized by their floating-point sum)',
    experiment: { id: 'fractions', variants: [{ id: 'x', weight: 0.1 }, { id: 'y', weight: 0.2 }, { id: 'z', weight: 0.7 }] },
  },
  {
    description: 'a zero weight is never picked',
    experiment: { id: 'zero-weight', variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 0 }, { id: 'c', weight: 1 }] },
  },
  { description: 'holdout 0.1', experiment: { id: 'price-test', holdout: 0.1, variants: [{ id: 'old' }, { id: 'new' }] } },
  { description: 'traffic 0.25', experiment: { id: 'banner-test', traffic: 0.25, variants: [{ id: 'off' }, { id: 'on' }] } },
  {
    description: 'holdout 0.2 and traffic 0.5 with weights 3/1',
    experiment: { id: 'search-ranking', holdout: 0.2, traffic: 0.5, variants: [{ id: 'bm25', weight: 3 }, { id: 'neural', weight: 1 }] },
  },
  { description: 'holdout 1: everyone is held out', experiment: { id: 'all-held', holdout: 1, variants: [{ id: 'a' }] } },
  { description: 'traffic 0: nobody is in traffic', experiment: { id: 'paused', traffic: 0, variants: [{ id: 'a' }] } },
  {
    description: 'unicode experiment, variant and unit ids (hashed as UTF-8)',
    experiment: { id: 'héro-tëst-🌵', variants: [{ id: 'contrôle' }, { id: 'variante-ü' }, { id: '変種' }] },
    units: ['ユーザー-1', 'пользователь-2', 'user-😀-3', 'χρήστης-4', 'usuário-5', '사용자-6'],
  },
];

const INVALID_CASES = [
  { description: 'invalid (negative weight): not in traffic', experiment: { id: 'bad-weight', variants: [{ id: 'a', weight: -1 }, { id: 'b' }] } },
  { description: 'invalid (all weights zero): not in traffic', experiment: { id: 'all-zero', variants: [{ id: 'a', weight: 0 }, { id: 'b', weight: 0 }] } },
  { description: 'invalid (traffic above 1): not in traffic', experiment: { id: 'bad-traffic', traffic: 1.5, variants: [{ id: 'a' }] } },
  { description: 'invalid (holdout below 0): not in traffic', experiment: { id: 'bad-holdout', holdout: -0.1, variants: [{ id: 'a' }] } },
  { description: 'invalid (no variants): not in traffic', experiment: { id: 'empty', variants: [] } },
];

function variantVector(description, experiment, unitId, valid) {
  const result = assignVariant(experiment, unitId);
  const { key, utf8, hex: h, decimal, u } = hashOf(`${experiment.id}:${unitId}`);
  if (u !== result.u) throw new Error(`u mismatch for ${key}`);
  return { description, valid, experiment, unitId, key, utf8, hash: { hex: h, decimal }, u, expected: withoutU(result) };
}

function withoutU(result) {
  const { u: _u, ...rest } = result;
  return rest;
}

function assignVariantVectors() {
  const vectors = [];
  for (const { description, experiment, units } of VARIANT_CASES) {
    const pool = units ?? coverOutcomes((unitId) => assignVariant(experiment, unitId), candidates('user-', 400), 2);
    for (const unitId of pool) vectors.push(variantVector(description, experiment, unitId, true));
  }
  for (const { description, experiment } of INVALID_CASES) vectors.push(variantVector(description, experiment, 'user-1', false));
  return vectors;
}

const FACTOR_CASES = [
  {
    description: 'two factors, full factorial, default gate',
    experiment: {
      id: 'landing-mvt',
      factors: [
        { id: 'headline', levels: [{ id: 'a' }, { id: 'b' }] },
        { id: 'button', levels: [{ id: 'green', weight: 2 }, { id: 'blue', weight: 1 }, { id: 'red', weight: 1 }] },
      ],
    },
    perOutcome: 1,
  },
  {
    description: 'holdout 0.1 and traffic 0.5 gate on experimentId:unitId; levels hashed per factor',
    experiment: {
      id: 'pdp-mvt',
      holdout: 0.1,
      traffic: 0.5,
      factors: [
        { id: 'image', levels: [{ id: 'photo' }, { id: 'illustration' }] },
        { id: 'price', levels: [{ id: 'plain' }, { id: 'strike', weight: 3 }] },
        { id: 'badge', levels: [{ id: 'none', weight: 0 }, { id: 'new' }, { id: 'sale' }] },
      ],
    },
    perOutcome: 1,
  },
  {
    description: 'unicode factor and level ids',
    experiment: { id: 'mvt-ü', factors: [{ id: 'titre', levels: [{ id: 'é' }, { id: 'è' }] }, { id: '色', levels: [{ id: '赤' }, { id: '青' }] }] },
    units: ['ユーザー-1', 'user-😀-2', 'usuário-3', 'χρήστης-4'],
  },
];

function assignFactorsVectors() {
  const vectors = [];
  for (const { description, experiment, units, perOutcome } of FACTOR_CASES) {
    const pool = units ?? coverOutcomes((unitId) => assignFactors(experiment, unitId), candidates('user-', 400), perOutcome);
    for (const unitId of pool) {
      const result = assignFactors(experiment, unitId);
      const gate = hashOf(`${experiment.id}:${unitId}`);
      const factorHashes = experiment.factors.map((factor) => {
        const { key, utf8, hex: h, decimal, u } = hashOf(`${experiment.id}:${factor.id}:${unitId}`);
        return { factorId: factor.id, key, utf8, hash: { hex: h, decimal }, u };
      });
      vectors.push({
        description,
        valid: true,
        experiment,
        unitId,
        key: gate.key,
        hash: { hex: gate.hex, decimal: gate.decimal },
        u: gate.u,
        factorHashes: result.status === 'assigned' ? factorHashes : [],
        expected: withoutU(result),
      });
    }
  }
  return vectors;
}

const document = {
  about:
    'Test vectors for Attune experiment assignment (docs/experiments.md "Experiments: assignment"). Generated by ' +
    'scripts/assignment-vectors.mjs; every vector is checked by the unit tests against an independent naive ' +
    'implementation, and the murmur3 vectors with a source against their published values.',
  murmur3: 'MurmurHash3_x86_32 (Austin Appleby), unsigned; strings are hashed as their UTF-8 bytes (field "bytes", hex).',
  formula:
    'u = murmur3_x86_32(utf8(experimentId + ":" + unitId), seed 0) / 2^32; if u < holdout -> holdout; ' +
    'else v = (u - holdout) / (1 - holdout); if v >= traffic -> not in traffic; else w = v / traffic picks the ' +
    'first variant whose cumulative normalized weight exceeds w.',
  details:
    'IEEE-754 double arithmetic in that order. Defaults: traffic 1, holdout 0, weight 1. Cumulative normalized ' +
    'weight of variant i = (weight_1 + ... + weight_i) / (weight_1 + ... + weight_n), summed left to right; ' +
    'zero weights are never picked; if rounding leaves none, the last variant with a positive weight. ' +
    'Invalid experiments ("valid": false) are not in traffic.',
  multivariate:
    'Gate as above on experimentId:unitId; then each factor f picks its level by cumulative normalized weight ' +
    'from u_f = murmur3_x86_32(utf8(experimentId + ":" + factorId + ":" + unitId), seed 0) / 2^32. ' +
    'variant = "factorId=levelId" for each factor in order, joined with "|".',
  murmur3Vectors: murmurVectors(),
  assignVariant: assignVariantVectors(),
  assignFactors: assignFactorsVectors(),
};

const text = `${JSON.stringify(document, null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== text) {
    console.error(`assignment-vectors: ${out} is out of date: run npm run build && node scripts/assignment-vectors.mjs`);
    process.exit(1);
  }
  console.log('assignment-vectors: up to date');
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`assignment-vectors: wrote ${document.murmur3Vectors.length} murmur3, ${document.assignVariant.length} assignVariant and ${document.assignFactors.length} assignFactors vectors to ${out}`);
}
