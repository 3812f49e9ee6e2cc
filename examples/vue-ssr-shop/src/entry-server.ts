// The Vue shop rendered on the server, per request (a route of the dev collector): the core server
// decider decides what the request is enough for (context rules, the A/B test by the id cookie),
// leaves the slots that need the device's profile pending, and its decisions go into the page for
// the browser's hydration (entry-client.ts), which renders exactly the same HTML.
import { readFile } from 'node:fs/promises';
import { createServerDecider, type ServerDecider, type ServerDecisions } from '@attune/core/server';
import { createAttunePlugin } from '@attune/vue';
import { renderToString } from '@vue/server-renderer';
import { createSSRApp } from 'vue';
import { ShopApp } from '../../vue-shop/src/app.js';
import { createShopRouter } from '../../vue-shop/src/router.js';

/** The decider of the demo bundle as it is now (made again when the file is edited). */
let current: { text: string; decider: ServerDecider } | undefined;
async function decider(): Promise<ServerDecider> {
  const text = await readFile(new URL('../../bundles/shop.json', import.meta.url), 'utf8');
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

/** The shop's page for a request: its URL, Cookie and Accept-Language headers. */
export async function render(url: string, cookie?: string, acceptLanguage?: string): Promise<string> {
  const serverDecisions = (await decider()).decide({ url, cookie, acceptLanguage });
  const app = createSSRApp(ShopApp).use(createAttunePlugin({ serverDecisions })).use(createShopRouter(url));
  return document(await renderToString(app), serverDecisions);
}
