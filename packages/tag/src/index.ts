/**
 * The Attune script tag. Configure it with data attributes on its own <script> element:
 *   <script async blocking="render" src="attune.min.js" data-bundle="/bundles/shop.json" data-collector="/collect"></script>
 * Commands queued before it loads (see the snippet in the README and docs/script-tag.md) run once it starts.
 */
import { createAttune, decisionPending, previewRequested, type AttuneClient } from '@attune/core';
import type { StartCapture } from './capture-addon.js';
import { runCommand, type Command } from './commands.js';
import { loadAdapter } from './load-adapter.js';
import { loadPart, loadRecommendAddon, openPreviewPart, setPartsBase } from './load-parts.js';
import type { RecommendAddon } from './recommend-addon.js';
import { loadWebVitals } from './load-web-vitals.js';
import { captureOptions, optionsFromScript, positiveNumber } from './options-from-script.js';
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
  performance.mark('attune:start');
  const script = findOwnScript();
  const data = script?.dataset ?? {};
  const tagUrl = script?.src || document.baseURI;
  setPartsBase(tagUrl, script?.nonce ?? '');
  const client: AttuneClient = createAttune(
    optionsFromScript(data, document.baseURI, (name) => loadAdapter(name, data.appId, () => void client.flush().catch(() => undefined))),
  );

  // A returning visitor's slots are hidden until decided, each as soon as it is parsed; at most
  // pendingTimeoutMs, then the default shows and stays (see render-slots.ts).
  const state = { hides: decisionPending(client.getSnapshot()), timedOut: false };
  const marks = ['attune:first-decision', 'attune:slots-filled'];
  const render = (): void => {
    const waiting = renderSlots(client, state);
    renderLists();
    if (marks.length === 2 && (state.timedOut || !decisionPending(client.getSnapshot()))) performance.mark(marks.shift()!);
    if (marks.length === 1 && !waiting && document.readyState !== 'loading') {
      performance.mark(marks.shift()!);
      afterSlots();
    }
  };
  // Recommendation lists: their code (ranking and rendering) loads when the page has one.
  let renderRecommendations: RecommendAddon['render'] | undefined;
  let listsLoading = false;
  function renderLists(): void {
    if (renderRecommendations) return renderRecommendations(client);
    if (listsLoading || document.readyState === 'loading' || !document.querySelector('[data-attune-recommend]')) return;
    listsLoading = true;
    loadRecommendAddon().then(
      (addon) => {
        renderRecommendations = addon.render;
        render();
      },
      (error: Error) => console.warn(`[attune] ${error.message}: recommendation lists keep the page's own markup.`),
    );
  }

  // What the first decision does not need loads once the slots are filled, from files beside the tag.
  const capture = captureOptions(data.capture);
  let later = false;
  function afterSlots(): void {
    if (later || !capture) return;
    later = true;
    loadPart<StartCapture>('attune-capture.min.js', '__attuneCapture').then(
      (start) => start(client, capture),
      (error: Error) => console.warn(`[attune] ${error.message}: clicks, forms and page views are not captured.`),
    );
    if (capture.webVitals !== false && script?.src) loadWebVitals(client);
  }
  // Also when a slot never settles (a bundle that never arrives without a pending timeout).
  window.addEventListener('load', afterSlots, { once: true });
  client.subscribe(render);
  const parsing = state.hides && document.readyState === 'loading' ? new MutationObserver(render) : undefined;
  parsing?.observe(document, { childList: true, subtree: true });
  if (state.hides) {
    setTimeout(() => {
      state.timedOut = true;
      render();
    }, positiveNumber(data.pendingTimeout) ?? 300);
  }
  document.addEventListener('DOMContentLoaded', () => {
    parsing?.disconnect();
    render();
  }, { once: true });

  const queued = window.attune?.q ?? [];
  const attune: QueueingFunction = (...command) => runCommand(client, command);
  attune.client = client;
  window.attune = attune;
  for (const command of queued) runCommand(client, Array.from(command) as Command);
  if (data.autoPage !== 'false') client.page();
  render(); // After the queued commands: a forced variant or hydrated traits count from the first render.
  if (previewRequested(location.search)) openPreviewPart(client);
}

start();
