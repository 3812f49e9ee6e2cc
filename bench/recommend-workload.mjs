// The recommendations benchmark's workload, run as it is in Node and, bundled, in Chromium
// (recommend.bench.mjs): a 10,000-item catalog (50 categories, 200 tags, 10 neighbors per item)
// and 100 visitors (10 recent views, 3 purchases, affinities), top-10 lists. Returns rows
// [measure, median ns per call, target ns or null].
import { prng } from './prng.mjs';

const ITEMS = 10_000;
const VISITORS = 100;
const RUNS = 9;
const WARMUP_RUNS = 3;

export function recommendWorkload(core) {
  const random = prng(0x7ec5);
  const pick = (n) => Math.floor(random() * n);
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const neighbors = {};
    while (Object.keys(neighbors).length < 10) {
      const other = pick(ITEMS);
      if (other !== i) neighbors[`sku-${other}`] = Math.round(random() * 1000) / 1000;
    }
    return {
      id: `sku-${i}`,
      category: `category-${pick(50)}`,
      tags: [`tag-${pick(200)}`, `tag-${pick(200)}`, `tag-${pick(200)}`].filter((tag, k, all) => all.indexOf(tag) === k),
      price: Math.round(random() * 30000) / 100,
      available: random() > 0.05,
      popularity: pick(5000),
      neighbors,
      content: { title: `Product ${i}`, url: `/p/sku-${i}` },
    };
  });
  const profiles = Array.from({ length: VISITORS }, () => ({
    viewed: Array.from({ length: 10 }, () => `sku-${pick(ITEMS)}`),
    purchased: Array.from({ length: 3 }, () => `sku-${pick(ITEMS)}`),
    affinities: {
      category: Object.fromEntries(Array.from({ length: 5 }, () => [`category-${pick(50)}`, random() * 10])),
      tag: Object.fromEntries(Array.from({ length: 10 }, () => [`tag-${pick(200)}`, random() * 10])),
    },
  }));
  const empty = profiles.map(() => ({ viewed: [], purchased: [], affinities: {} }));

  let sink = 0;
  /** Median nanoseconds per call of `run` over `inputs`. */
  const measure = (inputs, run) => {
    const samples = [];
    for (let r = 0; r < WARMUP_RUNS + RUNS; r++) {
      const start = performance.now();
      for (let i = 0; i < inputs.length; i++) sink += run(inputs[i]);
      if (r >= WARMUP_RUNS) samples.push(((performance.now() - start) * 1e6) / inputs.length);
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  };

  // The compile path of a bundle: what a recommender's rule is compiled with.
  const { compile } = core.compileBundle(core.validateBundle({ schema: 'attune.bundle/1', id: 'bench', version: 1, experiences: [], content: {} }));
  const compileOne = (recommender) => core.compileRecommender(recommender, compile);
  const plain = { id: 'also-like', items, perCategory: 3, exclude: { viewed: true } };
  const ruled = { ...plain, id: 'under-100', rule: { '<=': [{ var: 'item.price' }, 100] } };
  const [compiled, withRule] = [plain, ruled].map(compileOne);
  const top10 = (recommender) => (profile) => recommender && core.recommend(recommender, profile, { limit: 10 }).items.length;
  const result = [
    [`recommend: top 10 of ${ITEMS.toLocaleString('en')} items (neighbors of 10 views, affinities, popularity; 3 per category)`, measure(profiles, top10(compiled)), 1_000_000],
    ['recommend: the same with a rule over each item taken (price ≤ 100)', measure(profiles, top10(withRule)), 1_000_000],
    ['recommend: top 10, the popular fallback (empty profile)', measure(empty, top10(compiled)), 1_000_000],
    [`checkCatalog: a ${ITEMS.toLocaleString('en')}-item catalog file's items checked (verifyCatalog does it in slices of 10 ms)`, measure([{ schema: 'attune.catalog/1', items }], (file) => core.checkCatalog(file).length), null],
    [`compileRecommender: check and index the ${ITEMS.toLocaleString('en')}-item catalog (once per bundle)`, measure([plain], (entry) => compileOne(entry).items.length), null],
  ];
  if (sink === 0.5) result.push(['', 0, null]); // keeps the results alive
  return result;
}
