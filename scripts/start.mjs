// `npm start`: builds the packages, then starts the dev collector, which also serves the demo
// shop, the React shop, the (signed) bundle and the tag, and the Next.js shop beside it, and prints
// the URLs to open.
import { spawnSync, spawn } from 'node:child_process';
import { signDemoBundles } from './sign-demo-bundles.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
console.log('Building the packages (rollup)...');
const build = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The demo bundles are served signed (DEMO-ONLY key): re-sign any that was edited.
signDemoBundles({ log: (line) => console.log(line) });

const args = process.argv.slice(2);
const server = spawn(process.execPath, ['examples/collector/server.mjs', ...args], { stdio: 'inherit' });
// The Next.js example runs on its own port, the collector's + 1 (built the first time, ~15-40 s).
const port = Number(args[args.indexOf('--port') + 1] || process.env.PORT || 8787);
const nextShop = spawn(process.execPath, ['scripts/next-shop.mjs', '--port', String(port + 1), '--collector', `http://127.0.0.1:${port}`, '--quiet'], { stdio: 'inherit' });
server.on('exit', (code) => {
  nextShop.kill();
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    nextShop.kill(signal);
    server.kill(signal);
  });
}
