// @vitest-environment happy-dom
import { createAttune } from '@attune/core';
import { flushPromises } from '@vue/test-utils';
import { expect, it, vi } from 'vitest';
import { h } from 'vue';
import { useConsent, useDecision, useProfile, useRecommendations } from '../src/index.js';
import { SHOP } from '../../core/test/models/recommend/recommenders.js';
import { component, firstVisit, mountWith, returningVisitor, shopBundle } from './support.js';

/** A component that renders what `read()` gives and counts its renders. */
function counting(read: () => () => unknown) {
  const renders = { count: 0 };
  const Counted = component(() => {
    const value = read();
    return () => {
      renders.count++;
      return h('p', String(value()));
    };
  });
  return { renders, Counted };
}

async function readyClient() {
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: shopBundle(), environment });
  await client.ready;
  return client;
}

it('re-renders a component reading a slot only when that slot’s decision changes, not on every event', async () => {
  const client = await readyClient();
  const { renders, Counted } = counting(() => {
    const view = useDecision('home.promo', { exposure: false });
    return () => view.value.decision.reason;
  });
  const wrapper = mountWith(client, Counted);
  expect(wrapper.text()).toBe('not-in-audience');
  for (let i = 0; i < 5; i++) client.track('product_viewed', { sku: `x${i}` });
  await flushPromises();
  expect(client.getSnapshot().profile.counters.product_viewed).toBe(8);
  expect(renders.count).toBe(1);
  client.page({ campaign: 'x' });
  await client.consent.deny('personalization');
  await flushPromises();
  expect(wrapper.text()).toBe('default-no-consent');
  expect(renders.count).toBe(2);
  wrapper.unmount();
});

it('does not re-render a component reading an unknown slot on events (its default is made anew each time)', async () => {
  const client = await readyClient();
  const { renders, Counted } = counting(() => {
    const view = useDecision('no.such.slot');
    return () => view.value.decision.reason;
  });
  const wrapper = mountWith(client, Counted);
  client.track('product_viewed', { sku: 'x' });
  client.track('cart_viewed');
  await flushPromises();
  expect(client.decide('no.such.slot')).not.toBe(client.decide('no.such.slot'));
  expect(renders.count).toBe(1);
  wrapper.unmount();
});

it('re-renders a component reading consent only when consent changes', async () => {
  const client = await readyClient();
  const { renders, Counted } = counting(() => {
    const consent = useConsent();
    return () => consent.value.personalization;
  });
  const wrapper = mountWith(client, Counted);
  client.track('product_viewed', { sku: 'x' });
  await flushPromises();
  expect(renders.count).toBe(1);
  await client.consent.deny('personalization');
  await flushPromises();
  expect(wrapper.text()).toBe('denied');
  expect(renders.count).toBe(2);
  wrapper.unmount();
});

it('re-renders a component reading a profile value only when that value changes', async () => {
  const client = await readyClient();
  const { renders, Counted } = counting(() => {
    const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
    return () => views.value;
  });
  const wrapper = mountWith(client, Counted);
  expect(wrapper.text()).toBe('3');
  client.track('cart_viewed');
  await flushPromises();
  expect(renders.count).toBe(1);
  client.track('product_viewed', { sku: 'd' });
  await flushPromises();
  expect(wrapper.text()).toBe('4');
  expect(renders.count).toBe(2);
  wrapper.unmount();
});

it('gives the whole profile without a selector', async () => {
  const client = await readyClient();
  const { Counted } = counting(() => {
    const profile = useProfile();
    return () => `${profile.value.viewed.length} ${profile.value.viewed[0]}`;
  });
  const wrapper = mountWith(client, Counted);
  client.track('product_viewed', { sku: 'd' });
  await flushPromises();
  expect(wrapper.text()).toBe('4 d');
  wrapper.unmount();
});

it('gives read-only refs', async () => {
  const client = await readyClient();
  let attempt = (): void => {};
  const { Counted } = counting(() => {
    const view = useDecision('home.hero', { exposure: false });
    const consent = useConsent();
    attempt = () => {
      (view as { value: unknown }).value = null;
      (consent as { value: unknown }).value = null;
    };
    return () => `${view.value.decision.reason} ${consent.value.analytics}`;
  });
  const wrapper = mountWith(client, Counted);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  attempt();
  await flushPromises();
  expect(wrapper.text()).toBe('matched granted');
  expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([expect.stringContaining('readonly'), expect.stringContaining('readonly')]);
  warn.mockRestore();
  wrapper.unmount();
});

it('useRecommendations gives loading, then the ranked list, which follows the products the visitor views', async () => {
  const client = firstVisit({ bundle: { ...shopBundle(), recommenders: [{ id: 'also', items: SHOP, limit: 2 }] } });
  await client.consent.grant();
  await client.ready;
  const List = component(() => {
    const list = useRecommendations('also');
    return () => h('ul', { 'data-status': list.value.status }, list.value.items.map((r) => h('li', r.id)));
  });
  const wrapper = mountWith(client, List);
  expect(wrapper.find('ul').attributes('data-status')).toBe('loading');
  await vi.waitFor(() => expect(wrapper.find('ul').attributes('data-status')).toBe('ready'));
  expect(wrapper.findAll('li').map((li) => li.text())).toEqual(['e', 'a']); // the most popular
  client.track('product_view', { product_id: 'a' });
  await vi.waitFor(() => expect(wrapper.findAll('li').map((li) => li.text())[0]).toBe('b')); // a's closest neighbor
  wrapper.unmount();
});
