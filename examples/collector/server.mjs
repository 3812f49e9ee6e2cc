#!/usr/bin/env node
// Starts the dev collector on loopback and serves the demo shop, the demo bundles and the tag.
//   node examples/collector/server.mjs [--port 8787] [--events-file .attune/events.ndjson] [--exit-after 0]
// --exit-after N stops the server by itself after N seconds (tests use it so nothing outlives them).
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** A page rendered per request by a server-rendered example's module (built by the root build): `render(url, cookie, acceptLanguage)` → HTML. */
const serverRendered = (module) => async (request, url) => {
  const { render } = await import(pathToFileURL(resolve(repo, module)).href);
  const pageUrl = new URL(url.pathname + url.search, `http://${request.headers.host}`);
  const html = await render(pageUrl.href, request.headers.cookie, request.headers['accept-language']);
  return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
};

/**
 * The live experiment report of the demo's events (attune report, docs/cli.md "Experiment reports"):
 * the demo bundle's experiments, the demo's conversion (`add_to_cart`) unless ?goal= says
 * otherwise (repeatable), ?window= (default 7d).
 */
const liveReport = async (request, url) => {
  const { runReport } = await import(pathToFileURL(resolve(repo, 'packages/cli/src/report-command.mjs')).href);
  const { reportHtml } = await import(pathToFileURL(resolve(repo, 'packages/cli/src/report-html.mjs')).href);
  const goals = url.searchParams.getAll('goal');
  const { existsSync } = await import('node:fs');
  if (!existsSync(eventsFile)) {
    return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Attune report</title><p>No events yet: open the demo shop and click around (or run <code>npm run simulate</code>).</p>' };
  }
  const report = await runReport({
    events: [eventsFile],
    bundle: resolve(repo, 'examples/bundles/shop.json'),
    goal: goals.length > 0 ? goals : ['add_to_cart'],
    window: url.searchParams.get('window') ?? undefined,
  });
  return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: reportHtml(report) };
};

const collector = createCollector({
  eventsFile,
  home: '/shop/',
  pages: {
    '/report': liveReport,
    '/vue-ssr-shop/': serverRendered('examples/vue-ssr-shop/dist/server.js'),
    '/vue-readme/ssr': serverRendered('examples/vue-readme/dist/server.js'),
  },
  apps: ['/react-shop/'],
  routes: {
    '/shop/': resolve(repo, 'examples/shop'),
    '/vue-shop/': resolve(repo, 'examples/vue-shop'),
    '/vue-ssr-shop/': resolve(repo, 'examples/vue-ssr-shop'),
    '/vue-readme/': resolve(repo, 'examples/vue-readme'),
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
console.log(`  preview:     ${base}/shop/?attune_debug=1   (QA overlay: why each slot shows what it shows; force a variant)`);
console.log(`  react shop:  ${base}/react-shop/`);
console.log(`  vue shop:    ${base}/vue-shop/   (@attune/vue, a single-page app)`);
console.log(`  vue ssr:     ${base}/vue-ssr-shop/   (the Vue shop rendered on the server and hydrated)`);
console.log(`  vue readme:  ${base}/vue-readme/ and ${base}/vue-readme/ssr   (the Vue example of the README and docs/vue.md, as an SPA and server-rendered)`);
console.log(`  bundle:      ${base}/bundles/shop.json`);
console.log(`  collect:     POST ${base}/collect   (events so far: GET ${base}/events)`);
console.log(`  events file: ${eventsFile}`);
console.log(`  report:      ${base}/report   (which variant wins, from these events: attune report)`);

const exitAfter = Number(values['exit-after']);
if (exitAfter > 0) setTimeout(() => void collector.close().then(() => process.exit(0)), exitAfter * 1000).unref();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void collector.close().then(() => process.exit(0)));
