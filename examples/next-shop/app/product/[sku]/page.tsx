import Link from 'next/link';

export default async function Product({ params }: { params: Promise<{ sku: string }> }) {
  const { sku } = await params;
  return (
    <main>
      <section id="detail" className="panel">
        <h2 id="detail-title">Product {sku}</h2>
        <p>A client-side navigation: a new page view.</p>
        <Link href="/">Back to the shop</Link>
      </section>
    </main>
  );
}
