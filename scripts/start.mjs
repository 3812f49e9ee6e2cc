// `npm start`: builds the packages, then starts the dev collector, which also serves the demo
// shop, its (signed) bundle and the tag, and prints the URLs to open.
import { spawnSync, spawn } from 'node:child_process';
import { signDemoBundles } from './sign-demo-bundles.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
console.log('Building the packages (rollup)...');
const build = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The demo bundles are served signed (DEMO-ONLY key): re-sign any that was edited.
signDemoBundles({ log: (line) => console.log(line) });

const server = spawn(process.execPath, ['examples/collector/server.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
