import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import { freshIndexedDB, memoryStorage } from '../support.js';

vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadConsentMode: vi.fn(real.loadConsentMode) };
});
const loadConsentMode = vi.mocked(parts.loadConsentMode);
const page = globalThis as { dataLayer?: unknown; gtag?: unknown };

function consentCommand(..._args: unknown[]): IArguments {
  // What gtag() pushes.
  return arguments;
}

beforeEach(() => {
  freshIndexedDB();
  loadConsentMode.mockClear();
});
afterEach(() => {
  delete page.dataLayer;
  delete page.gtag;
});

it('loads the Consent Mode reader only on a page with gtag or a consent command on dataLayer', () => {
  const startAndStop = (options = {}) => createAttune({ environment: { storage: memoryStorage() }, ...options }).destroy();
  startAndStop();
  page.dataLayer = [{ event: 'gtm.js' }, consentCommand('js', 0), consentCommand('config', 'G-TEST')]; // Tag Manager without Consent Mode (no gtag function).
  startAndStop();
  expect(loadConsentMode).not.toHaveBeenCalled();

  (page.dataLayer as unknown[]).push(consentCommand('consent', 'default', { analytics_storage: 'denied' }));
  startAndStop({ consentMode: false });
  expect(loadConsentMode).not.toHaveBeenCalled(); // consentMode: false ignores it.
  startAndStop();
  expect(loadConsentMode).toHaveBeenCalledTimes(1);

  delete page.dataLayer;
  page.gtag = () => undefined; // gtag defined, its commands still to come.
  startAndStop();
  expect(loadConsentMode).toHaveBeenCalledTimes(2);
});

it('never reads dataLayer for a client destroyed before the reader loaded', async () => {
  page.dataLayer = [consentCommand('consent', 'update', { analytics_storage: 'granted' })];
  const client = createAttune({ environment: { storage: memoryStorage() } });
  client.destroy();
  await loadConsentMode.mock.results[0]!.value;
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect((page.dataLayer as unknown[]).push).toBe(Array.prototype.push);
  expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
});

it('reports a reader that cannot load, and grant and deny still work', async () => {
  page.dataLayer = [consentCommand('consent', 'default', { analytics_storage: 'denied' })];
  loadConsentMode.mockRejectedValueOnce(new Error('could not load attune-consent-mode.min.js'));
  const onError = vi.fn();
  const client = createAttune({ onError, environment: { storage: memoryStorage() } });
  await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
  expect(onError.mock.calls[0]![0]).toMatchObject({
    code: 'consent-invalid',
    message: 'The Google Consent Mode reader could not be loaded (could not load attune-consent-mode.min.js): its signals are not read on this page; grant and deny still work.',
  });
  await client.consent.grant('analytics');
  expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'unknown' });
  client.destroy();
});
