// @vitest-environment happy-dom
import { AttuneError, createAttune, type AttuneClient } from '@attune/core';
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { h } from 'vue';
import { AttuneSlot, createAttunePlugin, useAttune, useConsent, useDecision, useProfile } from '../src/index.js';
import { thrownAttuneError } from '../../core/test/support.js';
import { component, firstVisit, mountWith, returningVisitor, shopBundle, slowBundle } from './support.js';

/** The client with its live subscriptions counted. */
function countingListeners(client: AttuneClient): { live: () => number } {
  let live = 0;
  const subscribe = client.subscribe.bind(client);
  client.subscribe = (listener) => {
    live++;
    const unsubscribe = subscribe(listener);
    return () => {
      live--;
      unsubscribe();
    };
  };
  return { live: () => live };
}

const Everything = component(() => {
  const view = useDecision('home.hero');
  const consent = useConsent();
  const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
  return () => h('div', [h(AttuneSlot, { name: 'home.promo' }, () => 'Promo'), `${view.value.decision.reason} ${consent.value.analytics} ${views.value}`]);
});

it('leaves no listener behind after mounting and unmounting 1,000 times', async () => {
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: shopBundle(), environment });
  await client.ready;
  const listeners = countingListeners(client);
  for (let i = 0; i < 1000; i++) {
    const wrapper = mountWith(client, Everything);
    if (i === 0) expect(listeners.live()).toBeGreaterThan(0);
    wrapper.unmount();
  }
  expect(listeners.live()).toBe(0);
});

it('leaves no listener behind when slots unmount while pending', async () => {
  const { environment } = await returningVisitor();
  const bundle = slowBundle();
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { ...environment, fetch: bundle.fetch } });
  const listeners = countingListeners(client);
  for (let i = 0; i < 1000; i++) {
    const wrapper = mountWith(client, Everything);
    expect(wrapper.find('[data-attune-pending]').exists()).toBe(true);
    wrapper.unmount();
  }
  expect(listeners.live()).toBe(0);
  bundle.release();
});

describe('without the plugin', () => {
  // Vue also warns (inject() found nothing, the render failed): the thrown error is what the developer reads.
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['useAttune()', () => useAttune()],
    ['useDecision()', () => useDecision('home.hero')],
    ['useConsent()', () => useConsent()],
    ['useProfile()', () => useProfile()],
  ])('%s without the plugin throws an error saying how to fix it', (name, use) => {
    const error = thrownAttuneError(() => mount(component(() => (use(), () => h('p')))));
    expect(error).toBeInstanceOf(AttuneError);
    expect(error.code).toBe('argument-invalid');
    expect(error.message).toBe(`${name} needs the Attune plugin: call app.use(createAttunePlugin({ client })) before app.mount(), and use it inside setup().`);
  });

  it('<AttuneSlot> without the plugin throws an error saying how to fix it', () => {
    const error = thrownAttuneError(() => mount({ render: () => h(AttuneSlot, { name: 'home.hero' }) }));
    expect(error.message).toMatch(/^<AttuneSlot> needs the Attune plugin: call app\.use\(createAttunePlugin/);
  });
});

it('gives the client it was given to useAttune()', () => {
  const client = firstVisit();
  let used: AttuneClient | undefined;
  mountWith(client, component(() => ((used = useAttune()), () => h('p')))).unmount();
  expect(used).toBe(client);
});

it('creates a client from options', async () => {
  const { environment } = await returningVisitor();
  let used: AttuneClient | undefined;
  const wrapper = mount(component(() => ((used = useAttune()), () => h(AttuneSlot, { name: 'home.hero' }, () => 'Hello'))), {
    global: { plugins: [createAttunePlugin({ bundle: shopBundle(), environment, pendingTimeoutMs: 5_000 })] },
  });
  expect(wrapper.find('[data-attune-pending]').exists()).toBe(true);
  await used!.ready;
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(wrapper.text()).toBe('Welcome back');
  wrapper.unmount();
  used!.destroy();
});
