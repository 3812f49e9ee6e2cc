// The models benchmark's workload, run as it is in Node and, bundled, in Chromium (models.bench.mjs):
// a 10-feature logistic regression and a 100-tree depth-6 ensemble (full trees: 64 leaves each,
// 6 splits per tree walked), scored from ready features and from { context, profile } through a
// compiled bundle. Returns rows [measure, median ns per call, target ns or null].
import { prng } from './prng.mjs';

const INPUTS = 1_000;
const RUNS = 9;
const WARMUP_RUNS = 3;
const FEATURES = 10;
const TREES = 100;
const DEPTH = 6;

/** A full tree of DEPTH levels of splits on random features and thresholds; a missing value goes either way. */
function fullTree(random) {
  const size = 2 ** (DEPTH + 1) - 1;
  const tree = { feature: [], value: [], left: [], right: [], defaultLeft: [] };
  for (let i = 0; i < size; i++) {
    const split = 2 * i + 1 < size;
    tree.feature.push(split ? Math.floor(random() * FEATURES) : 0);
    tree.value.push(split ? random() : (random() - 0.5) / 10);
    tree.left.push(split ? 2 * i + 1 : -1);
    tree.right.push(split ? 2 * i + 2 : -1);
    tree.defaultLeft.push(random() < 0.5 ? 1 : 0);
  }
  return tree;
}

export function modelWorkload(core) {
  const random = prng(0x6d0de1);
  const features = Array.from({ length: FEATURES }, (_, i) => ({ name: `f${i}`, from: `context.f${i}`, mean: 0.5, scale: 0.3 }));
  const logistic = { id: 'logistic', type: 'logistic', features, weights: features.map(() => random() - 0.5), intercept: -0.2 };
  const ensemble = { id: 'trees', type: 'tree-ensemble', features, trees: Array.from({ length: TREES }, () => fullTree(random)), baseMargin: -0.5, link: 'logistic' };
  // One value in ten missing, so default directions are taken.
  const rows = Array.from({ length: INPUTS }, () => Array.from({ length: FEATURES }, () => (random() < 0.1 ? Number.NaN : random())));
  const vectors = rows.map((row) => Float64Array.from(row));
  const datas = rows.map((row) => ({ context: Object.fromEntries(row.map((value, i) => [`f${i}`, Number.isNaN(value) ? null : value])), profile: {} }));

  let sink = 0;
  /** Median nanoseconds per call of `score` over `inputs`. */
  const measure = (inputs, score) => {
    const samples = [];
    for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
      const start = performance.now();
      // Enough calls per sample for the browser's coarse clock.
      for (let repeat = 0; repeat < 20; repeat++) for (let i = 0; i < inputs.length; i++) sink += score(inputs[i]);
      if (run >= WARMUP_RUNS) samples.push(((performance.now() - start) * 1e6) / (inputs.length * 20));
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  };

  const packedLogistic = core.packLogistic(logistic);
  const packedTrees = core.packTreeEnsemble(ensemble);
  const compiled = core.compileBundle(core.validateBundle({ schema: 'attune.bundle/1', id: 'bench', version: 1, experiences: [], content: {}, models: [logistic, ensemble] }));
  const [logisticModel, treeModel] = [logistic, ensemble].map((model) => core.compileModel(model, compiled.compile));
  const pass = (model) => (data) => model.score(compiled.begin(data, () => undefined, false));
  const result = [
    ['scoreLogistic: 10 features', measure(vectors, (x) => core.scoreLogistic(packedLogistic, x)), 1_000],
    [`scoreTreeEnsemble: ${TREES} trees of depth ${DEPTH}, 10 features`, measure(vectors, (x) => core.scoreTreeEnsemble(packedTrees, x)), 10_000],
    ['logistic from { context, profile }: a pass, 10 features read, scored', measure(datas, pass(logisticModel)), null],
    [`tree ensemble from { context, profile }: a pass, 10 features read, scored`, measure(datas, pass(treeModel)), null],
  ];
  if (sink === 0.5) result.push(['', 0, null]); // keeps the results alive
  return result;
}
