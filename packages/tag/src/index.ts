/**
 * The Attune script tag. Configure it with data attributes on its own <script> element:
 *   <script async src="attune.min.js" data-bundle="/bundles/shop.json" data-collector="/collect"></script>
 * Commands queued before it loads (see the snippet in the README) run once it starts.
 */
import { captureClicks, captureForms, capturePageViews, createAttune, type AttuneClient } from '@attune/core';
import { runCommand, type Command } from './commands.js';
import { loadAdapter } from './load-adapter.js';
import { loadWebVitals } from './load-web-vitals.js';
import { captureOptions, optionsFromScript } from './options-from-script.js';
import { renderSlots } from './render-slots.js';

type QueueingFunction = ((...command: Command) => void) & { q?: Command[]; client?: AttuneClient };

declare global {
  interface Window {
    attune?: QueueingFunction;
  }
}

function findOwnScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-bundle], script[data-collector]');
}

function start(): void {
  const script = findOwnScript();
  const data = script?.dataset ?? {};
  const tagUrl = script?.src || document.baseURI;
  const client: AttuneClient = createAttune(
    optionsFromScript(data, document.baseURI, (name) => loadAdapter(name, data.appId, tagUrl, () => void client.flush().catch(() => undefined))),
  );

  const render = (): void => {
    if (document.readyState === 'loading') return;
    renderSlots(client);
  };
  client.subscribe(render);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', render, { once: true });
  void client.ready.then(render);

  const queued = window.attune?.q ?? [];
  const attune: QueueingFunction = (...command) => runCommand(client, command);
  attune.client = client;
  window.attune = attune;
  for (const command of queued) runCommand(client, Array.from(command) as Command);
  if (data.autoPage !== 'false') client.page();
  // The collectors are started one by one (not startAutoCapture) so web-vitals stays out of this file.
  const capture = captureOptions(data.capture);
  if (capture?.pageViews !== false && capture) capturePageViews(client);
  if (capture?.clicks !== false && capture) captureClicks(client);
  if (capture?.forms !== false && capture) captureForms(client);
  if (capture?.webVitals !== false && capture && script?.src) loadWebVitals(client, script.src);
}

start();
