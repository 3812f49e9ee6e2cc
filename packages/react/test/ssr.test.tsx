// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import type { AttuneOptions, ServerDecisions } from '@attune/core';
import { createServerDecider } from '@attune/core/server';
import { act, cleanup } from '@testing-library/react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AttuneProvider, AttuneSlot, useAttune, useConsent } from '../src/index.js';
import { freshBrowser, returningVisitor, settled, shopBundle } from './support.js';

beforeEach(() => freshBrowser());
afterEach(() => cleanup());

function Banner() {
  return useConsent().personalization === 'unknown' ? <aside>We personalize this shop on your device.</aside> : null;
}

function Shop({ options, serverDecisions, children }: { options: AttuneOptions; serverDecisions: ServerDecisions; children?: React.ReactNode }) {
  return (
    <AttuneProvider options={options} serverDecisions={serverDecisions}>
      <AttuneSlot name="home.hero" as="h1">Welcome to Attune Outfitters</AttuneSlot>
      <AttuneSlot name="home.promo" as="p">Free shipping on orders over €50.</AttuneSlot>
      <AttuneSlot name="home.cta" as="p">Free returns within 30 days.</AttuneSlot>
      <Banner />
      {children}
    </AttuneProvider>
  );
}

/** Renders `page` as a server would (no window), then hydrates it in this document; returns the server HTML. */
async function serverRenderThenHydrate(page: React.ReactElement): Promise<{ html: string; container: HTMLElement; errors: unknown[][]; root: Root }> {
  vi.stubGlobal('window', undefined);
  const html = renderToString(page);
  vi.unstubAllGlobals();
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const errors: unknown[][] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
  let root!: Root;
  await act(async () => {
    root = hydrateRoot(container, page, { onRecoverableError: (error) => void errors.push(['recoverable', error]) });
  });
  return { html, container, errors, root };
}

const text = (container: HTMLElement, slot: string) => container.querySelector(`[data-attune-slot="${slot}"]`)!;

it('hydrates the server HTML unchanged and with no warning, then reveals the slot that was pending', async () => {
  const id = await returningVisitor(3);
  const serverDecisions = createServerDecider(shopBundle).decide({ url: `${location.origin}/shop/`, cookie: `attune_id=${id}`, acceptLanguage: 'en-US' });
  const options = { bundle: shopBundle };
  let client!: Parameters<typeof settled>[0];
  const Grab = () => {
    client = useAttune()!;
    return null;
  };
  const { html, container, errors, root } = await serverRenderThenHydrate(<Shop options={options} serverDecisions={serverDecisions}><Grab /></Shop>);

  expect(html).toContain('<h1 style="visibility:hidden" data-attune-slot="home.hero" data-attune-pending="">Welcome to Attune Outfitters</h1>');
  expect(html).toContain('<p data-attune-slot="home.promo" data-attune-reason="not-in-audience">Free shipping on orders over €50.</p>');
  expect(html).not.toContain('<aside>');
  const cta = serverDecisions.slots.find((s) => s.slot === 'home.cta')!.decision!;
  expect(text(container, 'home.cta').getAttribute('data-attune-reason')).toBe(cta.reason);
  expect(container.innerHTML).toBe(html);

  await settled(client);
  expect(text(container, 'home.hero').textContent).toBe('Welcome back! Your picks are waiting');
  expect(text(container, 'home.hero').hasAttribute('data-attune-pending')).toBe(false);
  expect(text(container, 'home.cta').getAttribute('data-attune-reason')).toBe(cta.reason);
  expect(errors).toEqual([]);
  root.unmount();
});

it('renders a visitor without the id cookie as not consented and keeps the defaults for the page view, even when the device would personalize', async () => {
  await returningVisitor(3);
  const serverDecisions = createServerDecider(shopBundle).decide({ url: `${location.origin}/shop/` });
  let client: Parameters<typeof settled>[0] | undefined;
  const Grab = () => {
    client = useAttune();
    return null;
  };
  const options = { bundle: shopBundle };
  const page = (
    <AttuneProvider options={options} serverDecisions={serverDecisions}>
      <AttuneSlot name="home.hero" as="h1">Welcome to Attune Outfitters</AttuneSlot>
      <Grab />
    </AttuneProvider>
  );
  const { html, container, errors, root } = await serverRenderThenHydrate(page);
  expect(html).toContain('<h1 data-attune-slot="home.hero" data-attune-reason="default-no-consent">Welcome to Attune Outfitters</h1>');
  expect(container.innerHTML).toBe(html);
  await settled(client!);
  expect(client!.decide('home.hero').reason).toBe('matched');
  expect(container.innerHTML).toBe(html);
  expect(errors).toEqual([]);
  root.unmount();
});
