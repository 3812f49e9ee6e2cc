import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneOptions } from '../../src/client/types.js';
import type { AttuneError } from '../../src/errors.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

beforeEach(() => freshIndexedDB());

describe('identify and alias', () => {
  it('stamps the user id on later events and remembers it across page views', async () => {
    const collector = fakeCollector();
    const storage = memoryStorage();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage } });
    await client.consent.grant();
    client.identify('user-42', { plan: 'pro' });
    client.track('after_login');
    await client.flush();
    expect(collector.events.map((e) => [e.type, e.name, e.userId])).toEqual([
      ['identify', 'identify', 'user-42'],
      ['track', 'after_login', 'user-42'],
    ]);
    expect(collector.events[0]?.traits).toEqual({ plan: 'pro' });
    client.destroy();

    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.userId).toBe('user-42');
  });

  it('knows the anonymous id as soon as consent is granted, and stores that same id', async () => {
    const storage = memoryStorage();
    const client = createAttune({ environment: { storage } });
    const granting = client.consent.grant();
    const early = client.getSnapshot().profile.anonymousId;
    expect(early).toMatch(/^[0-9a-f-]{36}$/);
    await granting;
    client.destroy();
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.anonymousId).toBe(early);
  });

  it('records an alias with the previous id', async () => {
    const collector = fakeCollector();
    const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, environment: { fetch: collector.fetch, storage: memoryStorage() } });
    await client.consent.grant();
    const anonymousId = client.getSnapshot().profile.anonymousId;
    client.alias('user-7');
    await client.flush();
    expect(collector.events[0]).toMatchObject({ type: 'alias', previousId: anonymousId, userId: 'user-7' });
  });

  it('ignores an invalid user id with a typed warning', async () => {
    const onError = vi.fn();
    const client = createAttune({ onError, environment: { storage: memoryStorage() } });
    await client.consent.grant();
    client.identify('' as string);
    expect(client.getSnapshot().profile.userId).toBeNull();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'event-invalid' }));
  });
});

describe('another user signing in on the next page before its storage opens', () => {
  it('does not inherit the stored user\'s traits or history, which wait for that user\'s next sign-in', async () => {
    const storage = memoryStorage();
    const first = createAttune({ environment: { storage } });
    await first.consent.grant();
    first.identify('u1', { plan: 'pro' });
    first.track('viewed');
    first.track('viewed');
    await first.ready;
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 30));

    const second = createAttune({ environment: { storage } });
    second.identify('u2', { plan: 'free' });
    await second.ready;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(second.getSnapshot().profile).toMatchObject({ userId: 'u2', traits: { plan: 'free' } });
    expect(second.count('viewed')).toBe(0);

    second.identify('u1');
    await vi.waitFor(() => expect(second.count('viewed')).toBe(2));
    expect(second.getSnapshot().profile.traits).toEqual({ plan: 'pro' });
  });
});

describe('the anonymous id across page views', () => {
  it('is the same on the next page even when IndexedDB had not committed it (the visitor left at once)', async () => {
    const storage = memoryStorage();
    const first = createAttune({ environment: { storage } });
    await first.consent.grant();
    const id = first.getSnapshot().profile.anonymousId;
    expect(id).toBeTruthy();
    first.destroy();
    // The page was left before IndexedDB committed anything: the next page finds no database.
    await freshIndexedDB();
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.anonymousId).toBe(id);
  });

  it('follows reset() and is forgotten with the rest on withdrawal', async () => {
    const storage = memoryStorage();
    const client = createAttune({ environment: { storage } });
    await client.consent.grant();
    const before = client.getSnapshot().profile.anonymousId;
    client.reset();
    const after = client.getSnapshot().profile.anonymousId;
    expect(after).not.toBe(before);
    client.destroy();
    await freshIndexedDB();
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile.anonymousId).toBe(after);
    await next.consent.withdraw();
    expect([...storage.entries.keys()]).toEqual([]);
  });
});

/** What the next page view reads of the profile: the stored user id and the profile record. */
async function storedProfile(): Promise<{ userId: unknown; traits: Record<string, unknown>; hydrated?: unknown }> {
  const db = await openDB('attune');
  const [userId, current] = await Promise.all([db.get('meta', 'userId'), db.get('profile', 'current')]);
  db.close();
  return { userId, traits: current?.traits ?? {}, hydrated: current?.hydrated };
}

/** Bytes of JSON the profile holds from outside: identify traits and hydrated data. */
const outsideBytes = (profile: { traits: unknown; hydrated?: unknown }): number => new TextEncoder().encode(JSON.stringify([profile.traits, profile.hydrated ?? null])).length;

/** Lets IndexedDB writes land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

async function grantedClient(extra: Partial<AttuneOptions> = {}, storage = memoryStorage()) {
  const collector = fakeCollector();
  const onError = vi.fn();
  const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, onError, environment: { fetch: collector.fetch, storage }, ...extra });
  await client.consent.grant();
  return { client, collector, onError, storage };
}

describe('the size of what enters the profile', () => {
  it('refuses an identify() whose traits are too big wholly: no user id, no trait, no event, nothing stored', async () => {
    const { client, collector, onError, storage } = await grantedClient();
    client.identify('u1', { plan: 'pro' });
    client.identify('u3', { blob: 'z'.repeat(5e6) });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'event-invalid', message: expect.stringMatching(/identify\(\): refused.*nothing.*5000011 bytes.*16384/) }),
    );
    const { profile, diagnostics } = client.getSnapshot();
    expect(profile.userId).toBe('u1');
    expect(profile.traits).toEqual({ plan: 'pro' });
    expect(diagnostics.invalidEvents).toBe(1);
    await client.flush();
    expect(collector.events.map((event) => [event.name, event.userId])).toEqual([['identify', 'u1']]);
    await settle();
    client.destroy();

    expect(await storedProfile()).toMatchObject({ userId: 'u1', traits: { plan: 'pro' } });
    const next = createAttune({ environment: { storage } });
    await next.ready;
    expect(next.getSnapshot().profile).toMatchObject({ userId: 'u1', traits: { plan: 'pro' } });
  });

  it('refuses an identify() that would take the profile past its cap, and keeps what the profile had', async () => {
    const { client, onError } = await grantedClient();
    for (let i = 0; i < 8; i++) client.identify('u1', { [`note${i}`]: 'n'.repeat(10_000) });
    const refused = onError.mock.calls.map(([error]) => error as AttuneError);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ code: 'event-invalid', message: expect.stringMatching(/identify\(\): refused.*nothing.*65536/) });
    const { traits } = client.getSnapshot().profile;
    expect(Object.keys(traits)).toEqual(Array.from({ length: 8 - refused.length }, (_, i) => `note${i}`));
    await settle();
    expect(outsideBytes(await storedProfile())).toBeLessThanOrEqual(65_536);
    client.destroy();
  });

  it('does not let identify() calls made before storage opens grow the stored profile page after page', async () => {
    const storage = memoryStorage();
    const onError = vi.fn();
    await grantedClient({}, storage).then(({ client }) => client.destroy());
    for (let page = 0; page < 8; page++) {
      // The tag replays queued commands at once: identify() runs before IndexedDB has opened.
      const client = createAttune({ onError, environment: { storage } });
      client.identify('u1', { [`page${page}`]: 'p'.repeat(10_000) });
      await client.ready;
      await settle();
      client.destroy();
    }
    expect(outsideBytes(await storedProfile())).toBeLessThanOrEqual(65_536);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid', message: expect.stringContaining('65536') }));
    // What was kept is what came first: established traits are not pushed out by newer ones.
    expect(Object.keys((await storedProfile()).traits)[0]).toBe('page0');
  });

  it('keeps a returning user within the cap when their saved profile and the new traits do not fit together', async () => {
    const { client, onError } = await grantedClient();
    for (let i = 0; i < 5; i++) client.identify('ann', { [`a${i}`]: 'a'.repeat(12_000) });
    client.identify('bob');
    await settle();
    client.identify('ann', { fresh: 'f'.repeat(12_000) });
    await settle();
    expect(outsideBytes(await storedProfile())).toBeLessThanOrEqual(65_536);
    expect(Object.keys(client.getSnapshot().profile.traits)).toContain('a0');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid', message: expect.stringContaining('65536') }));
    client.destroy();
  });

  it('refuses a hydrate() that is too big wholly, its user id included', async () => {
    const { client, onError } = await grantedClient();
    client.hydrate({ userId: 'u9', segments: ['vip'], traits: { blob: 'z'.repeat(20_000) } });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid', message: expect.stringMatching(/hydrate\(\): refused.*nothing.*16384/) }));
    expect(client.getSnapshot().profile).toMatchObject({ userId: null, segments: [], traits: {} });
    await settle();
    expect(await storedProfile()).toMatchObject({ userId: undefined, traits: {}, hydrated: undefined });
    client.destroy();
  });

  it('applies a hydration that names another user to that user, not to the profile put aside', async () => {
    const { client } = await grantedClient();
    client.identify('ann', { plan: 'pro' });
    client.hydrate({ userId: 'bob', segments: ['vip'], traits: { tier: 'gold' } });
    expect(client.getSnapshot().profile).toMatchObject({ userId: 'bob', segments: ['vip'], traits: { tier: 'gold' } });
    await settle();
    client.identify('ann');
    await settle();
    expect(client.getSnapshot().profile).toMatchObject({ userId: 'ann', segments: [], traits: { plan: 'pro' } });
    client.destroy();
  });

  it('keeps repeated hydrations of distinct data under the cap, refusing the ones that do not fit', async () => {
    const { client, onError } = await grantedClient();
    for (let i = 0; i < 10; i++) {
      const scores = Object.fromEntries(Array.from({ length: 400 }, (_, j) => [`value-${i}-${j}`, j]));
      client.hydrate({ traits: { [`t${i}`]: 't'.repeat(4_000) }, affinities: { [`dimension${i}`]: scores } });
    }
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid', message: expect.stringMatching(/hydrate\(\): refused.*nothing.*65536/) }));
    const { traits, affinities } = client.getSnapshot().profile;
    // Each hydration is applied whole or not at all.
    expect(Object.keys(traits).map((key) => key.slice(1))).toEqual(Object.keys(affinities).map((key) => key.slice('dimension'.length)));
    expect(Object.keys(traits).length).toBeGreaterThan(0);
    await settle();
    expect(outsideBytes(await storedProfile())).toBeLessThanOrEqual(65_536);
    client.destroy();
  });

  it('refuses a profileUrl document that is too big, saying where it came from', async () => {
    const onError = vi.fn();
    const fetchProfile = (async () => new Response(JSON.stringify({ segments: ['vip'], traits: { blob: 'z'.repeat(100_000) } }))) as typeof fetch;
    const client = createAttune({ profileUrl: 'https://cdp.test/profile', onError, environment: { fetch: fetchProfile, storage: memoryStorage() } });
    await client.consent.grant();
    await vi.waitFor(() =>
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid', message: expect.stringMatching(/https:\/\/cdp\.test\/profile.*refused.*16384/) })),
    );
    expect(client.getSnapshot().profile).toMatchObject({ segments: [], traits: {} });
    client.destroy();
  });
});
