// Runs every benchmark, one after another, each in its own Node process with its output streamed.
// `npm run bench` builds first, then runs this. Extra arguments are passed to every benchmark.
// Exits non-zero if any benchmark failed (the others still run).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = ['rules.bench.mjs', 'profile.bench.mjs', 'track.bench.mjs', 'page-events.bench.mjs', 'assign.bench.mjs', 'decide.bench.mjs', 'bundle.bench.mjs', 'models.bench.mjs', 'recommend.bench.mjs', 'startup.bench.mjs', 'report.bench.mjs'];

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(here, file), ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`run-all: could not start ${file}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const failed = [];
for (const [index, file] of BENCHMARKS.entries()) {
  if (index > 0) console.log('');
  const code = await run(file);
  if (code !== 0) {
    failed.push(`${file} (exit ${code})`);
    console.error(`run-all: ${file} failed with exit code ${code}`);
  }
}
if (failed.length > 0) {
  console.error(`\nrun-all: ${failed.length} of ${BENCHMARKS.length} benchmarks failed: ${failed.join(', ')}`);
  process.exit(1);
}
