/**
 * The Attune script tag. Configure it with data attributes on its own <script> element:
 *   <script async src="attune.min.js" data-bundle="/bundles/shop.json" data-collector="/collect"></script>
 * Commands queued before it loads (see the snippet in the README) run once it starts.
 */
import { createAttune, type AttuneClient } from '@attune/core';
import { runCommand, type Command } from './commands.js';
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

function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

function start(): void {
  const script = findOwnScript();
  const data = script?.dataset ?? {};
  const base = document.baseURI;
  const options: Parameters<typeof createAttune>[0] = {};
  if (data.bundle) options.bundleUrl = new URL(data.bundle, base).href;
  if (data.collector) options.collectorUrl = new URL(data.collector, base).href;
  const flushIntervalMs = positiveNumber(data.flushInterval);
  if (flushIntervalMs !== undefined) options.flushIntervalMs = flushIntervalMs;
  const client = createAttune(options);

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
  if (data.autoPage !== 'false') client.page();
  for (const command of queued) runCommand(client, command);
}

start();
