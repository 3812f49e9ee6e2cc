'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useLayoutEffect, useRef } from 'react';
import { browserClient } from './attune';

/**
 * Records each client-side navigation as a page view, before the new page's slots report what they
 * show (layout effects run before every passive effect), so exposures count under the new page view.
 */
export function PageViews({ collector }: { collector: string }) {
  const url = usePathname() + '?' + useSearchParams().toString();
  const last = useRef(url);
  useLayoutEffect(() => {
    if (last.current === url) return; // The first page view was recorded when the client was made.
    last.current = url;
    browserClient(collector)?.page();
  }, [url, collector]);
  return null;
}
