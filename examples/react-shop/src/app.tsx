import type { AttuneClient } from '@attune/core';
import { AttuneProvider, AttuneSlot, useAttune, useConsent, useProfile } from '@attune/react';
import type { MouseEvent, ReactNode } from 'react';
import { PRODUCTS } from './products.js';
import { navigate, useLocation } from './router.js';

const BASE = '/react-shop/';

/** A link that navigates without a page load: a new page view, whose slots are decided again. */
function Link({ to, children }: { to: string; children: ReactNode }) {
  const attune = useAttune();
  const go = (event: MouseEvent) => {
    event.preventDefault();
    navigate(to, () => attune?.page());
  };
  return <a href={to} onClick={go}>{children}</a>;
}

function ConsentBanner() {
  const consent = useConsent();
  const attune = useAttune();
  if (consent.analytics !== 'unknown' || consent.personalization !== 'unknown') return null;
  return (
    <aside id="consent-banner" className="banner">
      <p>We personalize this shop <em>on your device</em>. Allow analytics and personalization?</p>
      <button id="accept" type="button" onClick={() => void attune?.consent.grant(['analytics', 'personalization'])}>Accept</button>
      <button id="decline" type="button" onClick={() => void attune?.consent.deny()}>Decline</button>
    </aside>
  );
}

function Home() {
  const attune = useAttune();
  const view = (sku: string, category: string) => {
    attune?.track('product_viewed', { sku, category });
    navigate(`${BASE}product/${sku}`, () => attune?.page());
  };
  return (
    <>
      <section className="hero">
        <AttuneSlot name="home.hero" as="h1" id="hero">Welcome to Attune Outfitters</AttuneSlot>
        <AttuneSlot name="home.promo" as="p" id="promo">Free shipping on orders over €50.</AttuneSlot>
        <AttuneSlot name="home.picks" as="p" id="picks">New this week: the whole autumn range.</AttuneSlot>
        {/* An A/B test (experiment "cta-test", 10% holdout). QA: open ?attune_force=cta-test:urgency */}
        <AttuneSlot name="home.cta" as="p" id="cta" className="cta">Free returns within 30 days.</AttuneSlot>
      </section>
      <section className="products" aria-label="Products">
        {PRODUCTS.map((product) => (
          <article key={product.sku}>
            <h2>{product.name}</h2>
            <p>{product.price}</p>
            <button type="button" data-sku={product.sku} onClick={() => view(product.sku, product.category)}>View product</button>
          </article>
        ))}
      </section>
    </>
  );
}

function ProductPage({ sku }: { sku: string }) {
  const product = PRODUCTS.find((p) => p.sku === sku);
  return (
    <section id="detail" className="panel">
      <h2 id="detail-title">{product?.name ?? 'No such product'}</h2>
      <p>The address bar changed without a page load: a new page view, decided again.</p>
      <Link to={BASE}>Back to the shop</Link>
    </section>
  );
}

function OnThisDevice() {
  const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
  const favourite = useProfile((profile) => profile.top.category?.[0] ?? '—');
  return (
    <section className="panel" aria-label="What Attune knows">
      <h2>On this device</h2>
      <p>View three products, then reload: the headline is decided in your browser from your local profile.</p>
      <dl>
        <dt>Products viewed</dt><dd id="views">{views}</dd>
        <dt>Favourite category</dt><dd id="top-category">{favourite}</dd>
      </dl>
    </section>
  );
}

export function App({ client }: { client: AttuneClient }) {
  const url = useLocation();
  const product = /\/product\/([\w-]+)/.exec(url)?.[1];
  return (
    <AttuneProvider client={client}>
      <header>
        <strong>Attune Outfitters</strong> <small>React</small>
        <nav>
          <Link to={BASE}>Home</Link> · <Link to={`${BASE}?utm_source=newsletter&utm_medium=email`}>Open as a newsletter reader</Link>
        </nav>
      </header>
      <main>
        {product ? <ProductPage sku={product} /> : <Home />}
        <OnThisDevice />
      </main>
      <ConsentBanner />
    </AttuneProvider>
  );
}
