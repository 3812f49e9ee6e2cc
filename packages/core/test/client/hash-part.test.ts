import 'fake-indexeddb/auto';
import { beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import * as parts from '../../src/client/load-parts.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

vi.mock('../../src/client/load-parts.js', async (original) => {
  const real = await original<typeof import('../../src/client/load-parts.js')>();
  return { ...real, loadProtectTraits: vi.fn(real.loadProtectTraits) };
});
const loadProtectTraits = vi.mocked(parts.loadProtectTraits);

beforeEach(() => {
  freshIndexedDB();
  loadProtectTraits.mockClear();
});

async function granted() {
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, onError, environment: { fetch: collector.fetch, storage: memoryStorage() } });
  await client.consent.grant();
  return { client, collector, onError };
}

const identifyEvent = async (client: ReturnType<typeof createAttune>, collector: ReturnType<typeof fakeCollector>) => {
  await vi.waitFor(async () => {
    await client.flush();
    expect(collector.events.some((event) => event.name === 'identify')).toBe(true);
  });
  return collector.events.find((event) => event.name === 'identify')!;
};

it('loads the hashing code only for an identify with an email or phone', async () => {
  const { client, collector } = await granted();
  client.identify('user-1', { plan: 'pro' });
  expect((await identifyEvent(client, collector)).traits).toEqual({ plan: 'pro' });
  expect(loadProtectTraits).not.toHaveBeenCalled();
  client.identify('user-1', { email: 'jane@example.com' });
  expect(loadProtectTraits).toHaveBeenCalledTimes(1);
});

it('when the hashing code cannot load, sends the identify event without the identifiers (never raw) and says so', async () => {
  loadProtectTraits.mockImplementation(() => Promise.reject(new Error('could not load attune-hash.min.js')));
  const { client, collector, onError } = await granted();
  client.identify('user-1', { email: 'jane@example.com', phone: '+44 20 7946 0958', plan: 'pro' });
  const sent = await identifyEvent(client, collector);
  expect(sent.traits).toEqual({ plan: 'pro' });
  expect(sent.userId).toBe('user-1');
  expect(JSON.stringify(collector.events)).not.toContain('jane@example.com');
  expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'event-invalid', message: expect.stringContaining('email, phone not sent') }));
  // On the device the normalized identifiers stay.
  expect(client.getSnapshot().profile.traits).toMatchObject({ email: 'jane@example.com', phone: '+442079460958' });
});
