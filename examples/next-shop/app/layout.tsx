import type { ReactNode } from 'react';
import { Suspense } from 'react';
import { PageViews } from './page-views';
import { collector } from './server-decisions';

export const metadata = { title: 'Attune Outfitters — Next.js shop' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={`${collector()}/shop/shop.css`} />
      </head>
      <body>
        <Suspense>
          <PageViews collector={collector()} />
        </Suspense>
        {children}
      </body>
    </html>
  );
}
