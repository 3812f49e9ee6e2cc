// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { createAttune, type AttuneClient, type Decision } from '@attune/core';
import { act, cleanup, render, screen } from '@testing-library/react';
import { StrictMode, useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderToString } from 'react-dom/server';
import { AttuneProvider, AttuneSlot, useAttune, useConsent, useDecision, useProfile, useRecommendations } from '../src/index.js';
import { countListeners, freshBrowser, returningVisitor, settled, shopBundle, sleep } from './support.js';

beforeEach(() => freshBrowser());
afterEach(() => cleanup());

const hero = <AttuneSlot name="home.hero" as="h1" data-testid="hero">Welcome to Attune Outfitters</AttuneSlot>;

describe('AttuneSlot', () => {
  it('shows a first-time visitor the default at once, never hidden', () => {
    render(<AttuneProvider client={createAttune({ bundle: shopBundle })}>{hero}</AttuneProvider>);
    const element = screen.getByTestId('hero');
    expect(element.textContent).toBe('Welcome to Attune Outfitters');
    expect(element.hasAttribute('data-attune-pending')).toBe(false);
    expect(element.style.visibility).toBe('');
  });

  it("keeps a returning visitor's slot hidden until the client is ready, then shows the personalized text", async () => {
    await returningVisitor(3);
    const client = createAttune({ bundle: shopBundle });
    render(<AttuneProvider client={client}>{hero}</AttuneProvider>);
    const element = screen.getByTestId('hero');
    expect(element.hasAttribute('data-attune-pending')).toBe(true);
    expect(element.style.visibility).toBe('hidden');
    await settled(client);
    expect(element.textContent).toBe('Welcome back! Your picks are waiting');
    expect(element.hasAttribute('data-attune-pending')).toBe(false);
    expect(element.style.visibility).toBe('');
    expect(element.dataset.attuneReason).toBe('matched');
  });

  it('shows the default once pendingTimeoutMs has passed and keeps it when the personalized decision comes later', async () => {
    await returningVisitor(3);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch = (async () => {
      await gate;
      return new Response(shopBundle, { status: 200 });
    }) as typeof globalThis.fetch;
    const client = createAttune({ bundleUrl: 'https://cdn.example/shop.json', environment: { fetch } });
    render(<AttuneProvider client={client} pendingTimeoutMs={30}>{hero}</AttuneProvider>);
    const element = screen.getByTestId('hero');
    expect(element.hasAttribute('data-attune-pending')).toBe(true);
    await act(() => sleep(60));
    expect(element.hasAttribute('data-attune-pending')).toBe(false);
    expect(element.textContent).toBe('Welcome to Attune Outfitters');
    expect(element.dataset.attuneReason).toBe('timeout');
    release();
    await settled(client);
    expect(client.decide('home.hero').reason).toBe('matched');
    expect(element.textContent).toBe('Welcome to Attune Outfitters');
  });

  it('renders an unknown slot with its children and says why', async () => {
    const client = createAttune({ bundle: shopBundle });
    render(<AttuneProvider client={client}><AttuneSlot name="no.such.slot" data-testid="slot">Our default</AttuneSlot></AttuneProvider>);
    await settled(client);
    expect(screen.getByTestId('slot').textContent).toBe('Our default');
    expect(screen.getByTestId('slot').dataset.attuneReason).toBe('default-no-consent');
  });
});

describe('hooks', () => {
  it('says how to fix a hook used outside a provider', () => {
    const Lost = () => <p>{useDecision('home.hero').decision.reason}</p>;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Lost />)).toThrow("[attune] useDecision() must be used inside <AttuneProvider>: wrap your app (or this part of it) in <AttuneProvider options={{ bundleUrl: '/bundle.json' }}> from @attune/react.");
    vi.restoreAllMocks();
  });

  it('re-renders a component only when what it reads changes', async () => {
    const client = createAttune({ bundle: shopBundle });
    await client.consent.grant();
    await client.ready;
    const renders = { promo: 0, views: 0, consent: 0 };
    const Promo = () => {
      renders.promo++;
      return <p>{useDecision('home.promo').decision.reason}</p>;
    };
    const Views = () => {
      renders.views++;
      return <p data-testid="views">{useProfile((profile) => profile.counters.product_viewed ?? 0)}</p>;
    };
    const Consent = () => {
      renders.consent++;
      return <p data-testid="consent">{useConsent().personalization}</p>;
    };
    render(<AttuneProvider client={client}><Promo /><Views /><Consent /></AttuneProvider>);
    const before = { ...renders };
    await act(async () => {
      for (let i = 0; i < 5; i++) client.track('newsletter_opened');
      await sleep(10);
    });
    expect(renders).toEqual(before);
    await act(async () => {
      client.track('product_viewed');
      await sleep(10);
    });
    expect(screen.getByTestId('views').textContent).toBe('1');
    expect(renders).toEqual({ ...before, views: before.views + 1 });
    await act(async () => {
      await client.consent.deny('analytics');
      await sleep(10);
    });
    expect(renders.consent).toBe(before.consent + 1);
    expect(renders.promo).toBe(before.promo);
  });

  it('leaves no listener behind after 1,000 mounts and unmounts', async () => {
    const client = createAttune({ bundle: shopBundle });
    await client.consent.grant();
    await client.ready;
    const listeners = countListeners(client);
    const Everything = () => {
      useConsent();
      useProfile();
      useDecision('home.cta');
      return <AttuneSlot name="home.hero">Welcome</AttuneSlot>;
    };
    for (let i = 0; i < 1000; i++) {
      const { unmount } = render(<AttuneProvider client={client}><Everything /></AttuneProvider>);
      if (i === 0) expect(listeners.count).toBeGreaterThan(0);
      unmount();
    }
    expect(listeners.count).toBe(0);
  });

  it('gives the client from useAttune, created once from options even in Strict Mode', async () => {
    const seen = new Set<AttuneClient | undefined>();
    const Spy = () => {
      seen.add(useAttune());
      return null;
    };
    const options = { bundle: shopBundle };
    const { unmount } = render(<StrictMode><AttuneProvider options={options}><Spy /></AttuneProvider></StrictMode>);
    expect(seen.size).toBe(1);
    const [client] = [...seen];
    expect(typeof client?.decide).toBe('function');
    unmount();
  });
});

describe('exposure', () => {
  /** The experiment exposures reported through client.shown. */
  function watchShown(client: AttuneClient): Decision[] {
    const shown: Decision[] = [];
    const original = client.shown;
    client.shown = (decision) => {
      shown.push(decision);
      original(decision);
    };
    return shown;
  }

  it('reports what a slot shows once it is on screen, never while pending: one exposure per page view', async () => {
    await returningVisitor(3);
    const sent: { name: string }[] = [];
    const fetch = (async (_url: unknown, init?: RequestInit) => {
      sent.push(...(JSON.parse(String(init?.body)) as { batch: { name: string }[] }).batch);
      return new Response(null, { status: 200 });
    }) as typeof globalThis.fetch;
    const client = createAttune({ bundle: shopBundle, collectorUrl: 'https://collect.example/', environment: { fetch } });
    const shown = watchShown(client);
    render(<AttuneProvider client={client}>{hero}<AttuneSlot name="home.cta">Free returns within 30 days.</AttuneSlot></AttuneProvider>);
    expect(shown).toEqual([]);
    await settled(client);
    expect([...new Set(shown.map((decision) => decision.slot))].sort()).toEqual(['home.cta', 'home.hero']);
    const exposures = async () => {
      await act(() => client.flush());
      return sent.filter((event) => event.name === 'experiment_exposure').length;
    };
    expect(await exposures()).toBe(1);
    await act(async () => {
      client.page();
      await sleep(10);
    });
    expect(await exposures()).toBe(2);
  });

  it('waits for the slot to scroll into view with exposure="visible"', async () => {
    const observers: { callback: IntersectionObserverCallback; target?: Element }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        entry: { callback: IntersectionObserverCallback; target?: Element };
        constructor(callback: IntersectionObserverCallback) {
          this.entry = { callback };
          observers.push(this.entry);
        }
        observe(target: Element) {
          this.entry.target = target;
        }
        disconnect() {}
      },
    );
    const client = createAttune({ bundle: shopBundle });
    await client.consent.grant();
    await client.ready;
    const shown = watchShown(client);
    const Cta = () => {
      const element = useRef<HTMLParagraphElement>(null);
      const { decision } = useDecision('home.cta', element);
      return <p ref={element}>{decision.variant}</p>;
    };
    render(<AttuneProvider client={client} exposure="visible"><Cta /></AttuneProvider>);
    expect(shown).toEqual([]);
    const [observer] = observers;
    act(() => observer!.callback([{ isIntersecting: true, target: observer!.target! } as IntersectionObserverEntry], {} as IntersectionObserver));
    expect(shown.map((decision) => decision.slot)).toEqual(['home.cta']);
    vi.unstubAllGlobals();
  });
});

describe('useRecommendations', () => {
  function AlsoLike() {
    const list = useRecommendations('also-like', { limit: 2 });
    return (
      <ul data-testid="also" data-status={list.status}>
        {list.items.map((recommendation) => (
          <li key={recommendation.id}>{recommendation.item.content?.title}</li>
        ))}
      </ul>
    );
  }
  const titles = () => Array.from(screen.getByTestId('also').querySelectorAll('li'), (li) => li.textContent);

  it('renders loading, then the ranked list, which follows the products the visitor views', async () => {
    const client = createAttune({ bundle: shopBundle });
    await client.consent.grant();
    await client.ready;
    render(<AttuneProvider client={client}><AlsoLike /></AttuneProvider>);
    expect(screen.getByTestId('also').dataset.status).toBe('loading');
    await vi.waitFor(() => expect(screen.getByTestId('also').dataset.status).toBe('ready'));
    expect(titles()).toEqual(['Trail jacket', 'Merino beanie']); // the most popular
    act(() => client.track('product_viewed', { sku: 'JKT-1', category: 'outerwear' })); // as the shop tracks it
    await vi.waitFor(() => expect(titles()).toEqual(['Rain poncho', 'Merino beanie'])); // the jacket's neighbors
  });

  it('renders loading on a server, where there is no profile', () => {
    vi.stubGlobal('window', undefined);
    try {
      const html = renderToString(<AttuneProvider options={{ bundle: shopBundle }}><AlsoLike /></AttuneProvider>);
      expect(html).toContain('data-status="loading"');
      expect(html).not.toContain('<li>');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
