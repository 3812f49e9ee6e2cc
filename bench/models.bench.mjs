// Models benchmark: scoring a logistic regression (target ≤ 1 µs) and a 100-tree depth-6 ensemble
// (target ≤ 10 µs), in Node and in Chromium (the same workload, models-workload.mjs, bundled by
// esbuild). Run after `npm run build`:  node bench/models.bench.mjs
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium); without one, Node only.
// Numbers are printed as a table; nothing here asserts on time.
import { benchNodeAndChromium } from './node-and-chromium.mjs';

await benchNodeAndChromium({ file: 'models-workload.mjs', name: 'modelWorkload', title: 'Models benchmark', notes: '1,000 inputs × 20, median of 9 runs' });
