// Starts the Next.js example (examples/next-shop), building it first when its build is missing or
// was made from other sources (its app, the built @attune packages, the demo bundle).
//   node scripts/next-shop.mjs [--port 8788] [--collector http://127.0.0.1:8787] [--quiet] [--exit-after 0]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(repo, 'examples/next-shop');
const next = createRequire(join(app, 'package.json')).resolve('next/dist/bin/next');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    collector: { type: 'string', default: 'http://127.0.0.1:8787' },
    quiet: { type: 'boolean', default: false },
    'exit-after': { type: 'string', default: '0' },
  },
});
// No telemetry (and nothing else) leaves the machine; the browser reaches the collector at ATTUNE_COLLECTOR.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ATTUNE_COLLECTOR: values.collector };
const log = (line) => console.log(`[next-shop] ${line}`);

/** A hash of every file the build depends on: rebuilding output that did not change keeps it. */
function sourcesHash() {
  const hash = createHash('sha256');
  const add = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) add(join(path, name));
    else hash.update(path).update(readFileSync(path));
  };
  for (const path of ['examples/next-shop/app', 'examples/react-shop/src', 'examples/next-shop/next.config.mjs', 'examples/next-shop/package.json', 'packages/core/dist', 'packages/react/dist', 'examples/bundles/shop.json']) add(join(repo, path));
  return hash.digest('hex');
}

const stamp = join(app, '.next/attune-sources');
const sources = sourcesHash();
if (!existsSync(join(app, '.next/BUILD_ID')) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== sources) {
  log('building (next build)...');
  const started = Date.now();
  const built = spawnSync(process.execPath, [next, 'build'], { cwd: app, env, stdio: values.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  writeFileSync(stamp, sources);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const server = spawn(process.execPath, [next, 'start', '--port', values.port, '--hostname', '127.0.0.1'], { cwd: app, env, stdio: ['ignore', 'pipe', 'inherit'] });
server.stdout.on('data', (chunk) => {
  const text = String(chunk);
  if (!values.quiet) process.stdout.write(text);
  if (/Ready/.test(text)) console.log(`  next shop:   http://127.0.0.1:${values.port}/   (Next.js App Router, server rendering)`);
});
server.on('exit', (code) => process.exit(code ?? 0));
const stop = () => server.kill('SIGTERM');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop);
process.on('exit', stop);
const exitAfter = Number(values['exit-after']);
if (exitAfter > 0) setTimeout(stop, exitAfter * 1000).unref();
