// @vitest-environment happy-dom
import { createAttune, type AttuneClient, type ServerDecisions } from '@attune/core';
import { createServerDecider } from '@attune/core/server';
import { renderToString } from '@vue/server-renderer';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, expect, it, vi, type MockInstance } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { AttuneSlot, createAttunePlugin, useAttune, useConsent, useDecision, useProfile, type AttunePluginConfig } from '../src/index.js';
import { abBundle, returningVisitor, sleep, slowBundle, until } from './support.js';

const bundle = abBundle();
const decider = createServerDecider(bundle);
const URL_OF_PAGE = 'https://shop.test/?utm_source=newsletter';

const Page = defineComponent({
  setup() {
    const consent = useConsent();
    const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
    const cta = useDecision('home.cta', { exposure: false });
    return () =>
      h('main', [
        h(AttuneSlot, { name: 'home.hero', as: 'h1' }, () => 'Hello'),
        h(AttuneSlot, { name: 'home.promo', as: 'p' }, () => 'Free shipping'),
        h(AttuneSlot, { name: 'home.cta', as: 'p' }, () => 'Free returns'),
        h('dl', [h('dd', { id: 'consent' }, consent.value.personalization), h('dd', { id: 'views' }, String(views.value)), h('dd', { id: 'cta' }, cta.value.decision.reason)]),
      ]);
  },
});

/** Renders the page as the server does (no window: no client, whatever the plugin is given). */
async function renderOnServer(config: AttunePluginConfig): Promise<string> {
  vi.stubGlobal('window', undefined);
  try {
    return await renderToString(createSSRApp(Page).use(createAttunePlugin(config)));
  } finally {
    vi.unstubAllGlobals();
  }
}

/**
 * Hydrates the server's HTML in the page with `client`; returns the container and the DOM as the
 * server's HTML made it (to compare with what the hydration leaves).
 */
function hydrate(html: string, client: AttuneClient, serverDecisions: ServerDecisions, settings: Partial<AttunePluginConfig> = {}) {
  document.body.innerHTML = `<div id="app">${html}</div>`;
  const container = document.getElementById('app')!;
  const served = container.innerHTML;
  // Passed through the page as JSON, as a real server does.
  createSSRApp(Page).use(createAttunePlugin({ client, serverDecisions: JSON.parse(JSON.stringify(serverDecisions)) as ServerDecisions, ...settings })).mount(container);
  return { container, served };
}

let warnings: MockInstance;
let errors: MockInstance;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn');
  errors = vi.spyOn(console, 'error');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});
const consoleOutput = () => [...warnings.mock.calls, ...errors.mock.calls].map((call) => call.map(String).join(' '));

it("hydrates a returning consented visitor's page to exactly the server's HTML, with no mismatch warning, then reveals the slot the server left pending", async () => {
  const { environment, anonymousId } = await returningVisitor();
  const serverDecisions = decider.decide({ url: URL_OF_PAGE, cookie: `attune_id=${anonymousId}` });
  expect(serverDecisions.slots.find((slot) => slot.slot === 'home.hero')?.pending).toBe(true);
  const html = await renderOnServer({ serverDecisions });
  expect(html).toContain('<h1 data-attune-slot="home.hero" data-attune-pending style="visibility:hidden">Hello</h1>');
  expect(html).toContain('<p data-attune-slot="home.promo" data-attune-reason="matched">10% off</p>');

  vi.stubGlobal('location', new URL(URL_OF_PAGE));
  const client = createAttune({ bundle, environment });
  const { container, served } = hydrate(html, client, serverDecisions, { pendingTimeoutMs: 5_000 });
  expect(container.innerHTML).toBe(served);
  expect(consoleOutput()).toEqual([]);

  await client.ready;
  await until(() => container.querySelector('h1')!.textContent === 'Welcome back', 'the hero revealed');
  expect(container.querySelector('h1')!.hasAttribute('data-attune-pending')).toBe(false);
  const serverCta = serverDecisions.slots.find((slot) => slot.slot === 'home.cta')!.decision!;
  expect(container.querySelector('[data-attune-slot="home.cta"]')!.textContent).toBe(serverCta.variant === 'urgency' ? 'Order now' : 'Free returns');
  expect(container.querySelector('#consent')!.textContent).toBe('granted');
  expect(container.querySelector('#views')!.textContent).toBe('3');
  expect(consoleOutput()).toEqual([]);
});

it('renders a first-time visitor (no id cookie) with every default, final and never hidden, and hydrates it without a warning', async () => {
  const serverDecisions = decider.decide({ url: URL_OF_PAGE });
  const html = await renderOnServer({ serverDecisions });
  expect(html).not.toContain('data-attune-pending');
  expect(html).toContain('<p data-attune-slot="home.promo" data-attune-reason="default-no-consent">Free shipping</p>');
  const client = createAttune({ bundle });
  const { container, served } = hydrate(html, client, serverDecisions);
  expect(container.innerHTML).toBe(served);
  await client.ready;
  await flushPromises();
  expect(container.querySelector('[data-attune-pending]')).toBeNull();
  expect(container.querySelector('#consent')!.textContent).toBe('unknown');
  expect(consoleOutput()).toEqual([]);
});

it('shows the default of a slot the server left pending once the timeout passes, and keeps it when the decision comes later', async () => {
  const { environment, anonymousId } = await returningVisitor();
  const serverDecisions = decider.decide({ url: URL_OF_PAGE, cookie: `attune_id=${anonymousId}` });
  const html = await renderOnServer({ serverDecisions });
  const slow = slowBundle(bundle);
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { ...environment, fetch: slow.fetch } });
  const { container } = hydrate(html, client, serverDecisions, { pendingTimeoutMs: 40 });
  const hero = () => container.querySelector('h1')!;
  expect(hero().hasAttribute('data-attune-pending')).toBe(true);
  await until(() => !hero().hasAttribute('data-attune-pending'), 'the timeout');
  expect(hero().textContent).toBe('Hello');
  slow.release();
  await client.ready;
  await sleep(30);
  expect(client.decide('home.hero').reason).toBe('matched');
  expect(hero().textContent).toBe('Hello');
  expect(consoleOutput()).toEqual([]);
});

it('creates no client on a server, even from options, and reports nothing there', async () => {
  let used: AttuneClient | undefined = createAttune({ bundle });
  const Probe = defineComponent({
    setup() {
      used = useAttune();
      return () => h(AttuneSlot, { name: 'home.hero' }, () => 'Hello');
    },
  });
  vi.stubGlobal('window', undefined);
  const html = await renderToString(createSSRApp(Probe).use(createAttunePlugin({ bundleUrl: 'https://cdn.test/shop.json' })));
  vi.unstubAllGlobals();
  expect(used).toBeUndefined();
  expect(html).toBe('<div data-attune-slot="home.hero" data-attune-reason="default-no-consent">Hello</div>');
});
