'use client';
import type { ServerDecisions } from '@attune/core';
import { AttuneProvider, AttuneSlot, useAttune, useConsent, useProfile } from '@attune/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { browserClient } from './attune';

const PRODUCTS = [
  { sku: 'JKT-1', name: 'Trail jacket', category: 'outerwear' },
  { sku: 'HAT-2', name: 'Merino beanie', category: 'accessories' },
  { sku: 'BOT-3', name: 'Hiking boots', category: 'footwear' },
  { sku: 'PON-4', name: 'Rain poncho', category: 'outerwear' },
];

function Banner() {
  const consent = useConsent();
  const attune = useAttune();
  if (consent.analytics !== 'unknown' || consent.personalization !== 'unknown') {
    return <button id="withdraw" type="button" onClick={() => void attune?.consent.withdraw()}>Withdraw consent and erase my data</button>;
  }
  return (
    <aside id="consent-banner" className="banner">
      <p>We personalize this shop on your device. Allow analytics and personalization?</p>
      <button type="button" onClick={() => void attune?.consent.grant(['analytics', 'personalization'])}>Accept</button>
      <button type="button" onClick={() => void attune?.consent.deny()}>Decline</button>
    </aside>
  );
}

function Products() {
  const attune = useAttune();
  const router = useRouter();
  const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
  return (
    <section className="products" aria-label="Products">
      {PRODUCTS.map(({ sku, name, category }) => (
        <article key={sku}>
          <h2>{name}</h2>
          <button type="button" onClick={() => (attune?.track('product_viewed', { sku, category }), router.push(`/product/${sku}`))}>View product</button>
        </article>
      ))}
      <p>Products viewed on this device: <span id="views">{views}</span></p>
    </section>
  );
}

/**
 * The shop's home page. The server rendered the slots it could decide from the request (the promo
 * from the URL, the A/B test from the id cookie) and left the headline pending (it reads the profile):
 * hydration renders exactly that, then the browser reveals the headline.
 */
export function ShopHome({ serverDecisions, collector }: { serverDecisions: ServerDecisions; collector: string }) {
  return (
    <AttuneProvider client={browserClient(collector)} serverDecisions={serverDecisions} idCookie>
      <header>
        <strong>Attune Outfitters</strong> <small>Next.js</small>
        <nav><Link href="/">Home</Link> · <Link href="/?utm_source=newsletter&utm_medium=email">Open as a newsletter reader</Link></nav>
      </header>
      <main>
        <section className="hero">
          <AttuneSlot name="home.hero" as="h1" id="hero">Welcome to Attune Outfitters</AttuneSlot>
          <AttuneSlot name="home.promo" as="p" id="promo">Free shipping on orders over €50.</AttuneSlot>
          <AttuneSlot name="home.picks" as="p" id="picks">New this week: the whole autumn range.</AttuneSlot>
          <AttuneSlot name="home.cta" as="p" id="cta" className="cta">Free returns within 30 days.</AttuneSlot>
        </section>
        <Products />
      </main>
      <Banner />
    </AttuneProvider>
  );
}
