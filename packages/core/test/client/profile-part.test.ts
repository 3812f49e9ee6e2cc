import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import type { AttuneError } from '../../src/errors.js';
import { fakeCollector, freshIndexedDB, hiddenOnDemand, memoryStorage } from '../support.js';

/*
 * How events update the profile (profile/profile-updates.ts) is a part: the first decision only
 * reads the stored profile. The client loads it as storage opens after a grant (beside
 * IndexedDB's open), and storage counts as open (events apply, `ready` resolves) once it is there.
 */
vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadProfileUpdates: vi.fn(real.loadProfileUpdates) };
});
const loadProfileUpdates = vi.mocked(parts.loadProfileUpdates);
const realUpdates = async () => (await vi.importActual<typeof import('../../src/profile/profile-updates.js')>('../../src/profile/profile-updates.js')).profileUpdates;

beforeEach(() => {
  freshIndexedDB();
  loadProfileUpdates.mockClear();
  loadProfileUpdates.mockImplementation(realUpdates);
});
afterEach(() => vi.unstubAllGlobals());

it('is not loaded before consent, nor for a visitor who denies', async () => {
  const client = createAttune({ environment: { storage: memoryStorage() } });
  client.track('product_view');
  await client.ready;
  await client.consent.deny();
  client.track('product_view');
  expect(loadProfileUpdates).not.toHaveBeenCalled();
  client.destroy();
});

it("is loaded once, from the start for a returning visitor: once ready, an event counts at once, as before", async () => {
  const storage = memoryStorage();
  const first = createAttune({ environment: { storage } });
  await first.consent.grant();
  first.track('product_view');
  expect(first.count('product_view')).toBe(1);
  await first.flush();
  first.destroy();

  loadProfileUpdates.mockClear();
  const next = createAttune({ environment: { storage } });
  expect(loadProfileUpdates).toHaveBeenCalledTimes(1); // Asked for at once, beside IndexedDB's open.
  next.track('product_view'); // Before ready: applied once storage is open.
  await next.ready;
  expect(next.count('product_view')).toBe(2);
  next.track('product_view');
  expect(next.count('product_view')).toBe(3);
  expect(loadProfileUpdates).toHaveBeenCalledTimes(1);
  next.destroy();
});

it('when it cannot load: one typed warning, decisions read the stored profile, events are still sent and the last ones count on the next page', async () => {
  const storage = memoryStorage();
  const first = createAttune({ environment: { storage } });
  await first.consent.grant();
  first.track('product_view');
  await first.flush();
  first.destroy();

  loadProfileUpdates.mockRejectedValue(new Error('blocked'));
  const hide = hiddenOnDemand();
  const collector = fakeCollector();
  const errors: AttuneError[] = [];
  const blocked = createAttune({ collectorUrl: 'https://collect.example/e', onError: (error) => errors.push(error), environment: { storage, fetch: collector.fetch } });
  await blocked.ready;
  expect(blocked.count('product_view')).toBe(1); // The stored profile.
  blocked.track('product_view');
  blocked.track('add_to_cart');
  expect(blocked.count('product_view')).toBe(1);
  expect(blocked.count('add_to_cart')).toBe(0);
  await blocked.flush();
  // The first page's event (it had no collector) and this page's.
  expect(collector.events.map((event) => event.name)).toEqual(['product_view', 'product_view', 'add_to_cart']);
  const warnings = errors.filter((error) => error.message.includes('profile updates code could not be loaded'));
  expect(warnings.map((error) => error.code)).toEqual(['profile-invalid']);
  expect(warnings[0]!.message).toContain('blocked');
  hide(); // The page is left.
  blocked.destroy();
  vi.unstubAllGlobals();

  loadProfileUpdates.mockImplementation(realUpdates);
  const next = createAttune({ environment: { storage } });
  await next.ready;
  expect(next.count('product_view')).toBe(2);
  expect(next.count('add_to_cart')).toBe(1);
  next.destroy();
});
