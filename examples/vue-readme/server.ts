import { readFileSync } from 'node:fs';
import { createServerDecider } from '@attune/core/server';
import { createAttunePlugin } from '@attune/vue';
import { renderToString } from '@vue/server-renderer';
import { createSSRApp } from 'vue';
import { App } from './app.js';

const decider = createServerDecider(readFileSync(new URL('../../bundles/shop.json', import.meta.url), 'utf8'));

/** The page for a request: its URL and Cookie header (the id cookie says who consented). */
export async function render(url: string, cookie?: string): Promise<string> {
  const serverDecisions = decider.decide({ url, cookie });
  const app = await renderToString(createSSRApp(App).use(createAttunePlugin({ serverDecisions })));
  const decisions = JSON.stringify(serverDecisions).replace(/</g, '\\u003c');
  return `<!doctype html><div id="app">${app}</div>
<script type="application/json" id="attune-server-decisions">${decisions}</script>
<script type="module" src="/vue-readme/dist/client.js"></script>`;
}
