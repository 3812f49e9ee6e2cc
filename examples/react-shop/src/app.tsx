import { useAttune, useProfile } from '@attune/react';
import type { MouseEvent, ReactNode } from 'react';
import { ConsentBanner } from './consent-banner.js';
import { Hero } from './hero.js';
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

function Home() {
  const attune = useAttune();
  const view = (sku: string, category: string) => {
    attune?.track('product_viewed', { sku, category });
    navigate(`${BASE}product/${sku}`, () => attune?.page());
  };
  return (
    <>
      <Hero />
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

export function App() {
  const url = useLocation();
  const product = /\/product\/([\w-]+)/.exec(url)?.[1];
  return (
    <>
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
    </>
  );
}
