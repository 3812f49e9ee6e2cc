// Recommendations benchmark: a top-10 list over a 10,000-item catalog (target ≤ 1 ms), in Node and
// in Chromium (the same workload, recommend-workload.mjs, bundled by esbuild).
// Run after `npm run build`:  node bench/recommend.bench.mjs
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium); without one, Node only.
// Numbers are printed as a table; nothing here asserts on time.
import { benchNodeAndChromium } from './node-and-chromium.mjs';

await benchNodeAndChromium({ file: 'recommend-workload.mjs', name: 'recommendWorkload', title: 'Recommendations benchmark', notes: '100 visitors, median of 9 runs' });
