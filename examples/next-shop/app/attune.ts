'use client';
import { createAttune, type AttuneClient } from '@attune/core';

let client: AttuneClient | undefined;

/**
 * The page's one client, made in the browser on first use (never on the server) with this page
 * view recorded before anything renders. Undefined on the server.
 */
export function browserClient(collector: string): AttuneClient | undefined {
  if (typeof window === 'undefined') return undefined;
  if (!client) {
    client = createAttune({ bundleUrl: `${collector}/bundles/shop.json`, collectorUrl: `${collector}/collect` });
    client.page();
  }
  return client;
}
