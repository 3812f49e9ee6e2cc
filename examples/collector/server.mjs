#!/usr/bin/env node
// Starts the dev collector on loopback and serves the demo shop, the demo bundles and the tag.
//   node examples/collector/server.mjs [--port 8787] [--events-file .attune/events.ndjson] [--exit-after 0]
// --exit-after N stops the server by itself after N seconds (tests use it so nothing outlives them).
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCollector } from './collector.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    'events-file': { type: 'string', default: resolve(repo, '.attune/events.ndjson') },
    'exit-after': { type: 'string', default: '0' },
    quiet: { type: 'boolean', default: false },
  },
});

const eventsFile = resolve(values['events-file']);
const collector = createCollector({
  eventsFile,
  home: '/shop/',
  apps: ['/react-shop/'],
  routes: {
    '/shop/': resolve(repo, 'examples/shop'),
    '/react-shop/': resolve(repo, 'examples/react-shop'),
    '/bundles/': resolve(repo, 'examples/bundles'),
    '/tag/': resolve(repo, 'packages/tag/dist'),
    '/e2e/': resolve(repo, 'e2e/pages'),
  },
  log: values.quiet ? () => {} : (line) => console.log(`[collector] ${line}`),
});

const port = await collector.listen(Number(values.port));
const base = `http://127.0.0.1:${port}`;
console.log(`Attune dev collector listening on ${base}`);
console.log(`  demo shop:   ${base}/shop/`);
console.log(`  react shop:  ${base}/react-shop/`);
console.log(`  bundle:      ${base}/bundles/shop.json`);
console.log(`  collect:     POST ${base}/collect   (events so far: GET ${base}/events)`);
console.log(`  events file: ${eventsFile}`);

const exitAfter = Number(values['exit-after']);
if (exitAfter > 0) setTimeout(() => void collector.close().then(() => process.exit(0)), exitAfter * 1000).unref();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void collector.close().then(() => process.exit(0)));
