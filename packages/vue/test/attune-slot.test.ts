// @vitest-environment happy-dom
import { createAttune } from '@attune/core';
import { flushPromises } from '@vue/test-utils';
import { afterEach, expect, it } from 'vitest';
import { h, nextTick, ref } from 'vue';
import { AttuneSlot } from '../src/index.js';
import { firstVisit, mountWith, returningVisitor, shopBundle, slowBundle, sleep, until } from './support.js';

const Hero = { render: () => h(AttuneSlot, { name: 'home.hero', as: 'h1' }, () => 'Hello') };

/** What the visitor sees in the slot after each DOM change: its text, or '' while it is hidden. */
function recordVisibleText(root: Element): string[] {
  const seen: string[] = [];
  const record = (): void => {
    const slot = root.matches('[data-attune-slot]') ? root : root.querySelector('[data-attune-slot]');
    const text = !slot || slot.hasAttribute('data-attune-pending') ? '' : (slot.textContent ?? '');
    if (seen[seen.length - 1] !== text) seen.push(text);
  };
  record();
  new MutationObserver(record).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  return seen;
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

it('shows the personalized content of a returning visitor as text, never as markup', async () => {
  const { environment } = await returningVisitor();
  const bundle = shopBundle();
  bundle.content['hero-engaged'] = { type: 'text', value: '<b>Welcome back</b>' };
  const client = createAttune({ bundle, environment });
  await client.ready;
  const wrapper = mountWith(client, Hero);
  unmount = () => wrapper.unmount();
  expect(wrapper.get('h1').text()).toBe('<b>Welcome back</b>');
  expect(wrapper.find('b').exists()).toBe(false);
  expect(wrapper.get('h1').attributes('data-attune-reason')).toBe('matched');
});

it('shows its default content (the default slot) when the decision is not personalized', async () => {
  const client = firstVisit();
  const wrapper = mountWith(client, Hero);
  unmount = () => wrapper.unmount();
  expect(wrapper.get('h1').text()).toBe('Hello');
  await client.ready;
  await flushPromises();
  expect(wrapper.html()).toBe('<h1 data-attune-slot="home.hero" data-attune-reason="default-no-consent">Hello</h1>');
});

it('renders an unknown slot with its default content and the reason it got it', async () => {
  const client = firstVisit();
  await client.consent.grant();
  await client.ready;
  const wrapper = mountWith(client, { render: () => h(AttuneSlot, { name: 'no.such.slot' }, () => 'Default') });
  unmount = () => wrapper.unmount();
  expect(wrapper.get('div').text()).toBe('Default');
  expect(wrapper.get('div').attributes('data-attune-reason')).toBe('not-in-audience');
});

it('never hides the slot of a visitor without personalization consent, even while the bundle loads', () => {
  freshIndexedDBForSlowBundle();
  const bundle = slowBundle();
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { fetch: bundle.fetch } });
  const wrapper = mountWith(client, Hero);
  unmount = () => wrapper.unmount();
  expect(wrapper.get('h1').attributes()).not.toHaveProperty('data-attune-pending');
  expect(wrapper.get('h1').text()).toBe('Hello');
  bundle.release();
});

it("keeps a returning visitor's slot hidden (that element only) until its decision is final, then shows the personalized content: never the default first", async () => {
  const { environment } = await returningVisitor();
  const bundle = slowBundle();
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { ...environment, fetch: bundle.fetch } });
  const wrapper = mountWith(client, Hero, { pendingTimeoutMs: 5_000 });
  unmount = () => wrapper.unmount();
  const seen = recordVisibleText(wrapper.element);
  const slot = wrapper.get('h1');
  expect(slot.attributes('data-attune-pending')).toBe('');
  expect(slot.attributes('style')).toContain('visibility: hidden');
  expect(document.body.getAttribute('style')).toBeNull();
  await sleep(50);
  bundle.release();
  await until(() => !wrapper.get('h1').attributes('data-attune-pending') && wrapper.get('h1').text() === 'Welcome back', 'the reveal');
  expect(wrapper.get('h1').attributes('style')).toBeUndefined();
  expect(seen).toEqual(['', 'Welcome back']);
});

it('shows the default after pendingTimeoutMs and keeps it when the personalized decision arrives later', async () => {
  const { environment } = await returningVisitor();
  const bundle = slowBundle();
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { ...environment, fetch: bundle.fetch } });
  const wrapper = mountWith(client, Hero, { pendingTimeoutMs: 40 });
  unmount = () => wrapper.unmount();
  expect(wrapper.get('h1').attributes('data-attune-pending')).toBe('');
  const seen = recordVisibleText(wrapper.element);
  await until(() => wrapper.get('h1').attributes('data-attune-pending') === undefined, 'the timeout');
  bundle.release();
  await client.ready;
  await flushPromises();
  expect(client.decide('home.hero').reason).toBe('matched');
  await sleep(30);
  expect(wrapper.get('h1').text()).toBe('Hello');
  expect(seen).toEqual(['', 'Hello']);
});

it('after the timeout, changes the default only when the visitor does something that changes the decision', async () => {
  const { environment } = await returningVisitor();
  const bundle = slowBundle(shopBundle({ segments: [{ id: 'engaged', when: { '>=': [{ var: ['profile.counters.product_viewed', 0] }, 4] } }] }));
  const client = createAttune({ bundleUrl: 'https://cdn.test/shop.json', environment: { ...environment, fetch: bundle.fetch } });
  const wrapper = mountWith(client, Hero, { pendingTimeoutMs: 10 });
  unmount = () => wrapper.unmount();
  await until(() => wrapper.get('h1').attributes('data-attune-pending') === undefined, 'the timeout');
  bundle.release();
  await client.ready;
  await flushPromises();
  expect(wrapper.get('h1').text()).toBe('Hello');
  client.track('product_viewed', { sku: 'd' });
  await until(() => wrapper.get('h1').text() === 'Welcome back', 'the fourth view to personalize the hero');
});

it('follows a changed slot name', async () => {
  const { environment } = await returningVisitor();
  const client = createAttune({ bundle: shopBundle(), environment });
  await client.ready;
  const name = ref('home.promo');
  const wrapper = mountWith(client, { render: () => h(AttuneSlot, { name: name.value }, () => 'Default') });
  unmount = () => wrapper.unmount();
  expect(wrapper.text()).toBe('Default');
  name.value = 'home.hero';
  await nextTick();
  expect(wrapper.text()).toBe('Welcome back');
  expect(wrapper.get('div').attributes('data-attune-slot')).toBe('home.hero');
});

function freshIndexedDBForSlowBundle(): void {
  firstVisit().destroy();
}
