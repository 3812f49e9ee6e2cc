// @vitest-environment happy-dom
import { createAttune, type AttuneClient, type Decision } from '@attune/core';
import { flushPromises } from '@vue/test-utils';
import { afterEach, expect, it, vi } from 'vitest';
import { h, shallowRef } from 'vue';
import { AttuneSlot, useDecision } from '../src/index.js';
import { abBundle, component, firstVisit, mountWith, returningVisitor, slowBundle, until } from './support.js';

function spyShown(client: AttuneClient): Decision[] {
  const shown: Decision[] = [];
  const original = client.shown.bind(client);
  client.shown = (decision) => {
    shown.push(decision);
    original(decision);
  };
  return shown;
}

const Cta = { render: () => h(AttuneSlot, { name: 'home.cta' }, () => 'Free returns') };

afterEach(() => vi.unstubAllGlobals());

it('reports an experiment as shown once the slot is mounted, and once per page view in the events', async () => {
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: abBundle(), environment });
  await client.ready;
  const shown = spyShown(client);
  const wrapper = mountWith(client, { render: () => h('div', [h(Cta), h(Cta)]) });
  expect(shown.map((decision) => decision.experiment?.id)).toEqual(['cta-test', 'cta-test']);
  expect(shown[0]).toBe(client.decide('home.cta'));
  await flushPromises();
  expect(client.getSnapshot().profile.counters.experiment_exposure).toBe(1);
  wrapper.unmount();
});

it('reports a slot that stays on screen again on each new page view (a client-side navigation), once per page view', async () => {
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: abBundle(), environment });
  await client.ready;
  const wrapper = mountWith(client, { render: () => h('div', [h(Cta), h(Cta)]) });
  const exposures = () => client.getSnapshot().profile.counters.experiment_exposure;
  await until(() => exposures() === 1, 'the first exposure');
  client.page();
  await until(() => exposures() === 2, 'the exposure of the second page view');
  client.track('clicked');
  await flushPromises();
  expect(exposures()).toBe(2);
  wrapper.unmount();
  client.page();
  await flushPromises();
  expect(exposures()).toBe(2);
});

it('never reports a pending slot: only once its decision is revealed', async () => {
  const { environment } = await returningVisitor();
  const bundle = slowBundle(abBundle());
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { ...environment, fetch: bundle.fetch } });
  const shown = spyShown(client);
  const wrapper = mountWith(client, Cta, { pendingTimeoutMs: 5_000 });
  expect(wrapper.find('[data-attune-pending]').exists()).toBe(true);
  await flushPromises();
  expect(shown).toEqual([]);
  bundle.release();
  await until(() => shown.length > 0, 'the exposure');
  expect(wrapper.find('[data-attune-pending]').exists()).toBe(false);
  expect(shown.every((decision) => decision.experiment?.id === 'cta-test')).toBe(true);
  await until(() => client.getSnapshot().profile.counters.experiment_exposure === 1, 'the exposure event');
  wrapper.unmount();
});

it('does not report a slot showing its default', async () => {
  const client = firstVisit();
  await client.ready;
  const shown = spyShown(client);
  mountWith(client, { render: () => h(AttuneSlot, { name: 'home.hero' }, () => 'Hello') }).unmount();
  expect(shown).toEqual([]);
});

it("useDecision reports what it gives once mounted, unless told it is not shown (exposure: false)", async () => {
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: abBundle(), environment });
  await client.ready;
  const shown = spyShown(client);
  mountWith(client, component(() => (useDecision('home.cta', { exposure: false }), () => h('p')))).unmount();
  expect(shown).toEqual([]);
  mountWith(client, component(() => (useDecision('home.cta'), () => h('p')))).unmount();
  expect(shown.map((decision) => decision.slot)).toEqual(['home.cta']);
});

it("with exposure: 'visible', reports a slot once it scrolls into view", async () => {
  const observers: Array<{ callback: IntersectionObserverCallback; targets: Element[]; disconnected: boolean }> = [];
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      private readonly entry;
      constructor(callback: IntersectionObserverCallback) {
        this.entry = { callback, targets: [] as Element[], disconnected: false };
        observers.push(this.entry);
      }
      observe(target: Element) {
        this.entry.targets.push(target);
      }
      disconnect() {
        this.entry.disconnected = true;
      }
    },
  );
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: abBundle(), environment });
  await client.ready;
  const shown = spyShown(client);
  const target = shallowRef<Element>();
  const Own = component(() => {
    const view = useDecision('home.promo', { target });
    return () => h('p', { ref: target }, view.value.decision.reason);
  });
  const wrapper = mountWith(client, { render: () => h('div', [h(Cta), h(Own)]) }, { exposure: 'visible' });
  expect(shown).toEqual([]);
  expect(observers.map((observer) => observer.targets[0]?.tagName)).toEqual(['DIV', 'P']);
  const scrollIntoView = (index: number, isIntersecting: boolean) =>
    observers[index]!.callback([{ isIntersecting } as IntersectionObserverEntry], {} as IntersectionObserver);
  scrollIntoView(0, false);
  expect(shown).toEqual([]);
  scrollIntoView(0, true);
  expect(shown.map((decision) => decision.slot)).toEqual(['home.cta']);
  scrollIntoView(1, true);
  expect(shown.map((decision) => decision.slot)).toEqual(['home.cta', 'home.promo']);
  wrapper.unmount();
  expect(observers.every((observer) => observer.disconnected)).toBe(true);
});
