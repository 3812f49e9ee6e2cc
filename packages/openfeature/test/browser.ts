import { createAttune, type AttuneClient, type AttuneOptions } from '@attune/core';
import { OpenFeature } from '@openfeature/web-sdk';
import { afterEach, beforeEach } from 'vitest';
import { freshIndexedDB } from '../../core/test/support.js';
import { freshBrowser } from '../../react/test/support.js';

const open: AttuneClient[] = [];

/** A client on this test's page, destroyed after the test (as its tab closes). */
export function pageClient(options: AttuneOptions): AttuneClient {
  const client = createAttune(options);
  open.push(client);
  return client;
}

/**
 * Every test of the file starts in a fresh browser (storage, cookies, and tabs that never hear
 * an earlier test's clients) with OpenFeature back to no provider, context or handlers.
 */
export function isolateTests(): void {
  beforeEach(() => {
    freshBrowser();
    freshIndexedDB();
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    await OpenFeature.clearContext();
    OpenFeature.clearHandlers();
    for (const client of open.splice(0)) client.destroy();
  });
}
