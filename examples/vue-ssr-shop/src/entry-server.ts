// The Vue shop rendered on the server, per request (a route of the dev collector): the core server
// decider decides what the request is enough for (context rules, the A/B test by the id cookie),
// leaves the slots that need the device's profile pending, and its decisions go into the page for
// the browser's hydration (entry-client.ts), which renders exactly the same HTML.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createServerDecider, type ServerDecider, type ServerDecisions } from '@attune/core/server';
import { createAttunePlugin } from '@attune/vue';
import { renderToString } from '@vue/server-renderer';
import { createSSRApp } from 'vue';
import { ShopApp } from '../../vue-shop/src/app.js';
import { createShopRouter } from '../../vue-shop/src/router.js';

/** The decider of the bundle file as it is now (made again when the file changes). */
let current: { text: string; decider: ServerDecider } | undefined;
async function deciderFor(bundleFile: string): Promise<ServerDecider> {
  const text = await readFile(bundleFile, 'utf8');
  if (current?.text !== text) current = { text, decider: createServerDecider(text) };
  return current.decider;
}

/** JSON that is safe inside a <script> element (no "</script>" can end it early). */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function document(app: string, decisions: ServerDecisions): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Attune Outfitters — Vue shop, server-rendered</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/shop/shop.css">
  <script type="module" src="/vue-ssr-shop/dist/client.js"></script>
</head>
<body>
  <div id="app">${app}</div>
  <script type="application/json" id="attune-server-decisions">${scriptJson(decisions)}</script>
</body>
</html>
`;
}

/** Renders the shop page for `request` (its URL, Cookie and Accept-Language headers) with the bundle in `bundleFile`. */
export async function renderShopPage(bundleFile: string, request: IncomingMessage, url: URL): Promise<{ headers: Record<string, string>; body: string }> {
  const pageUrl = new URL(url.pathname + url.search, `http://${request.headers.host ?? '127.0.0.1'}`);
  const serverDecisions = (await deciderFor(bundleFile)).decide({ url: pageUrl, cookie: request.headers.cookie, acceptLanguage: request.headers['accept-language'] });
  const app = createSSRApp(ShopApp).use(createAttunePlugin({ serverDecisions })).use(createShopRouter(pageUrl.href));
  return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: document(await renderToString(app), serverDecisions) };
}
