import 'fake-indexeddb/auto';
import { beforeEach, expect, it } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { decisionPending } from '../../src/client/decision-pending.js';
import { freshIndexedDB, memoryStorage } from '../support.js';
import { shopBundle } from '../fixtures.js';

beforeEach(() => freshIndexedDB());

it('says decisions are pending for a returning consented visitor until the bundle and the stored profile are loaded', async () => {
  const storage = memoryStorage();
  const first = createAttune({ bundle: shopBundle(), environment: { storage } });
  await first.consent.grant();
  first.destroy();

  const client = createAttune({ bundle: shopBundle(), environment: { storage } });
  const heard: boolean[] = [];
  client.subscribe(() => heard.push(client.getSnapshot().ready));
  expect(client.getSnapshot().ready).toBe(false);
  expect(decisionPending(client.getSnapshot())).toBe(true);
  await client.ready;
  await Promise.resolve();
  expect(client.getSnapshot().ready).toBe(true);
  expect(decisionPending(client.getSnapshot())).toBe(false);
  expect(heard.at(-1)).toBe(true);
});

it('never calls a decision pending without personalization consent: the default is final at once', async () => {
  const client = createAttune({ bundle: shopBundle(), environment: { storage: memoryStorage() } });
  expect(decisionPending(client.getSnapshot())).toBe(false);
  await client.consent.grant('analytics');
  expect(decisionPending(client.getSnapshot())).toBe(false);
});
