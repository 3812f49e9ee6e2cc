import 'fake-indexeddb/auto';
import { createAttune, type AttuneClient, type AttuneOptions } from '@attune/core';
import { mount } from '@vue/test-utils';
import { defineComponent, h, type Component } from 'vue';
import { createAttunePlugin, type AttuneVueSettings } from '../src/index.js';
import { shopBundle } from '../../core/test/fixtures.js';
import { freshIndexedDB, memoryStorage } from '../../core/test/support.js';

export { shopBundle };

/** The shop bundle with the A/B test of the call to action (no holdout: every consented visitor is in it). */
export const abBundle = () =>
  shopBundle({
    experiences: [
      ...shopBundle().experiences,
      {
        id: 'cta-test',
        slot: 'home.cta',
        experiment: { id: 'cta-test' },
        variants: [
          { id: 'control', weight: 50, content: 'cta-control' },
          { id: 'urgency', weight: 50, content: 'cta-urgency' },
        ],
        default: 'control',
      },
    ],
    content: { ...shopBundle().content, 'cta-control': { type: 'text', value: 'Free returns' }, 'cta-urgency': { type: 'text', value: 'Order now' } },
  });

/** A bundle URL whose answer waits until `release()` (the network is slow): the client stays not ready. */
export function slowBundle(bundle: object = shopBundle()): { fetch: typeof fetch; release: () => void; requests: () => number } {
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  let requests = 0;
  const fetchBundle = (async () => {
    requests++;
    await answered;
    return new Response(JSON.stringify(bundle), { status: 200 });
  }) as typeof fetch;
  return { fetch: fetchBundle, release, requests: () => requests };
}

/**
 * A visitor who granted consent and viewed three products on an earlier page (engaged: the hero
 * says "Welcome back"). Returns the options of this page's client: the same device storage.
 */
export async function returningVisitor(): Promise<Pick<AttuneOptions, 'environment'> & { anonymousId: string }> {
  freshIndexedDB();
  const storage = memoryStorage();
  const earlier = createAttune({ bundle: shopBundle(), environment: { storage } });
  await earlier.consent.grant();
  for (const sku of ['a', 'b', 'c']) earlier.track('product_viewed', { sku });
  await earlier.ready;
  await sleep(30); // The profile's IndexedDB writes.
  const anonymousId = earlier.getSnapshot().profile.anonymousId!;
  earlier.destroy();
  return { environment: { storage }, anonymousId };
}

/** A first-time visitor's client (no consent yet), with the shop bundle inline. */
export function firstVisit(options: AttuneOptions = {}): AttuneClient {
  freshIndexedDB();
  return createAttune({ bundle: shopBundle(), environment: { storage: memoryStorage() }, ...options });
}

/** Mounts `component` in an app using the plugin with `client`. */
export function mountWith(client: AttuneClient, component: Component, settings: AttuneVueSettings = {}) {
  return mount(component, { global: { plugins: [createAttunePlugin({ client, ...settings })] } });
}

/** A component rendering `render()` (a render function using composables from `setup`). */
export const component = (setup: () => () => ReturnType<typeof h>): Component => defineComponent({ setup });

/** Waits for `ms` milliseconds (real timers: fake IndexedDB runs on them). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` holds (polling), or fails after a second. */
export async function until(check: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}
