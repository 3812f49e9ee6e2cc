'use client';
import type { ServerDecisions } from '@attune/core';
import { AttuneProvider, useAttune, useProfile } from '@attune/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
// The same components as the React single-page shop: they run unchanged under server rendering.
import { ConsentBanner } from '../../react-shop/src/consent-banner';
import { Hero } from '../../react-shop/src/hero';
import { PRODUCTS } from '../../react-shop/src/products';
import { browserClient } from './attune';

function Products() {
  const attune = useAttune();
  const router = useRouter();
  const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
  const view = (sku: string, category: string) => {
    attune?.track('product_viewed', { sku, category });
    router.push(`/product/${sku}`);
  };
  return (
    <section className="products" aria-label="Products">
      {PRODUCTS.map(({ sku, name, category }) => (
        <article key={sku}>
          <h2>{name}</h2>
          <button type="button" onClick={() => view(sku, category)}>View product</button>
        </article>
      ))}
      <p>Products viewed on this device: <span id="views">{views}</span></p>
    </section>
  );
}

/**
 * The shop's home page. The server rendered the slots it could decide from the request (the promo
 * from the URL, the A/B test from the id cookie) and left the headline pending (it reads the
 * profile): hydration renders exactly that, then the browser reveals the headline.
 */
export function ShopHome({ serverDecisions, collector }: { serverDecisions: ServerDecisions; collector: string }) {
  return (
    <AttuneProvider client={browserClient(collector)} serverDecisions={serverDecisions} idCookie>
      <header>
        <strong>Attune Outfitters</strong> <small>Next.js</small>
        <nav><Link href="/">Home</Link> · <Link href="/?utm_source=newsletter&utm_medium=email">Open as a newsletter reader</Link></nav>
      </header>
      <main>
        <Hero />
        <Products />
      </main>
      <ConsentBanner />
    </AttuneProvider>
  );
}
