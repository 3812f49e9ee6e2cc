// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { syncIdCookie } from '../../src/client/id-cookie.js';
import { freshIndexedDB, memoryStorage } from '../support.js';
import { shopBundle } from '../fixtures.js';

let writes: string[];
/** The page's cookie jar (name → value), kept by the test: every write is recorded with its attributes. */
let jar: Map<string, string>;
beforeEach(() => {
  freshIndexedDB();
  writes = [];
  jar = new Map();
  vi.spyOn(document, 'cookie', 'get').mockImplementation(() => [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
  vi.spyOn(document, 'cookie', 'set').mockImplementation((written: string) => {
    writes.push(written);
    const [pair = '', ...attributes] = written.split('; ');
    const [name = '', value = ''] = pair.split('=');
    if (attributes.includes('Max-Age=0')) jar.delete(name);
    else jar.set(name, value);
  });
});
afterEach(() => vi.restoreAllMocks());

const client = () => createAttune({ bundle: shopBundle(), environment: { storage: memoryStorage() } });
/** Lets the client tell its subscribers (a microtask after a change). */
const told = () => Promise.resolve();

it('writes nothing before consent, and nothing for analytics alone', async () => {
  const attune = client();
  syncIdCookie(attune);
  await attune.ready;
  await attune.consent.grant('analytics');
  await told();
  expect(writes).toEqual([]);
});

it('keeps the anonymous id in a first-party cookie once personalization is granted (SameSite=Lax, path /)', async () => {
  const attune = client();
  syncIdCookie(attune);
  await attune.consent.grant(['personalization']);
  await told();
  const id = attune.getSnapshot().profile.anonymousId!;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(writes).toEqual([`attune_id=${id}; Path=/; SameSite=Lax; Max-Age=15552000`]);
});

it('removes the cookie when personalization is withdrawn', async () => {
  const attune = client();
  syncIdCookie(attune, { name: 'site_attune', maxAgeDays: 30 });
  await attune.consent.grant();
  await told();
  expect(jar.get('site_attune')).toBe(attune.getSnapshot().profile.anonymousId);
  expect(writes[0]).toMatch(/; Max-Age=2592000$/);
  await attune.consent.deny('personalization');
  await told();
  expect(jar.has('site_attune')).toBe(false);
  expect(writes.at(-1)).toBe('site_attune=; Path=/; SameSite=Lax; Max-Age=0');
});

it('follows the new anonymous id after reset()', async () => {
  const attune = client();
  syncIdCookie(attune);
  await attune.consent.grant();
  await told();
  const before = jar.get('attune_id');
  attune.reset();
  await told();
  expect(jar.get('attune_id')).toBe(attune.getSnapshot().profile.anonymousId);
  expect(jar.get('attune_id')).not.toBe(before);
});

it('removes a cookie left from an earlier consent when this page has none', () => {
  jar.set('attune_id', 'old-visitor');
  syncIdCookie(client());
  expect(writes).toEqual(['attune_id=; Path=/; SameSite=Lax; Max-Age=0']);
});

it('stops keeping the cookie once told to', async () => {
  const attune = client();
  syncIdCookie(attune)();
  await attune.consent.grant();
  await told();
  expect(writes).toEqual([]);
});
