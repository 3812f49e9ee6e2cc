import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadBundleSource, type BundleSourceOptions, type ServedBundle } from '../../src/bundle/bundle-source.js';
import { AttuneError } from '../../src/errors.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { openDatabase, type AttuneDatabase, type CachedBundleRecord } from '../../src/storage/database.js';
import { shopBundle } from '../fixtures.js';
import { loadVerifier } from '../../src/client/load-parts.js';
import { freshIndexedDB } from '../support.js';
import { fakeHost, makeKeys, signBytes, type FakeHost } from './signing.js';

const URL = 'https://cdn.test/shop.json';
const keys = makeKeys();

beforeEach(() => freshIndexedDB());

function bundleText(version: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(shopBundle({ version, ...overrides }), null, 2);
}

/** Publishes a bundle on the fake host, signed unless told otherwise. */
function publish(host: FakeHost, text: string, { signed = true, etag = `"v${text.length}-${Math.random()}"` } = {}): void {
  host.files.set(URL, { body: text, etag });
  if (signed) host.files.set(`${URL}.sig`, { body: signBytes(text, keys) });
  else host.files.delete(`${URL}.sig`);
}

interface Loaded {
  served: ServedBundle[];
  problems: AttuneError[];
  source: ReturnType<typeof loadBundleSource>;
}

function load(host: FakeHost, db: AttuneDatabase | undefined, options: Partial<BundleSourceOptions> = {}): Loaded {
  const served: ServedBundle[] = [];
  const problems: AttuneError[] = [];
  const source = loadBundleSource({
    url: URL,
    key: keys.publicJwk,
    fetch: host.fetch,
    now: () => Date.parse('2026-11-23T12:00:00Z'),
    database: async () => db,
    onServe: (bundle) => served.push(bundle),
    onProblem: (error) => problems.push(error),
    compile: (value) => compileBundle(validateBundle(value)),
    loadVerifier,
    ...options,
  });
  return { served, problems, source };
}

/** Loads once with `db` so the bundle now published is the cached one. */
async function cacheCurrent(host: FakeHost, db: AttuneDatabase): Promise<void> {
  const first = load(host, db);
  await first.source.settled;
  expect(first.problems).toEqual([]);
}

const versions = (served: ServedBundle[]) => served.map((bundle) => `${bundle.source}:${bundle.version}`);

/** The version written in the cached bundle's text. */
async function cachedVersion(db: AttuneDatabase): Promise<unknown> {
  const record = await db.get('bundles', URL);
  return record && (JSON.parse(record.text) as { version: unknown }).version;
}

describe('loading a signed bundle from the network', () => {
  it('serves a correctly signed bundle and caches its exact text, signature and ETag', async () => {
    const host = fakeHost();
    const text = bundleText(3);
    publish(host, text, { etag: '"abc"' });
    const db = await openDatabase('attune');
    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['network:3']);
    expect(await db.get('bundles', URL)).toMatchObject({ text, signature: expect.stringMatching(/^[\w-]{86}$/), etag: '"abc"' });
  });

  it('fetches the detached signature from <bundleUrl>.sig by default, or from bundleSignatureUrl', async () => {
    const host = fakeHost();
    const text = bundleText(3);
    host.files.set(URL, { body: text });
    host.files.set('https://cdn.test/signatures/shop', { body: signBytes(text, keys) });
    const { served, problems, source } = load(host, undefined, { signatureUrl: 'https://cdn.test/signatures/shop' });
    await source.settled;
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['network:3']);
    expect(host.requests.map((request) => request.url)).not.toContain(`${URL}.sig`);
  });

  it('does not ask for a signature when no key is configured', async () => {
    const host = fakeHost();
    publish(host, bundleText(3), { signed: false });
    const { served, source } = load(host, undefined, { key: undefined });
    await source.settled;
    expect(versions(served)).toEqual(['network:3']);
    expect(host.requests.map((request) => request.url)).toEqual([URL]);
  });

  it('loads the signature check only with a key, from the start, and refuses every bundle when it cannot load (fail closed)', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const notLoaded = vi.fn(loadVerifier);
    await load(host, undefined, { key: undefined, loadVerifier: notLoaded }).source.settled;
    expect(notLoaded).not.toHaveBeenCalled();

    const failing = vi.fn(() => Promise.reject(new Error('could not load attune-verify.min.js')));
    const { served, problems, source } = load(host, undefined, { loadVerifier: failing });
    expect(failing).toHaveBeenCalledTimes(1); // Asked for before anything was fetched or read.
    await source.settled;
    expect(served).toEqual([]);
    expect(problems).toMatchObject([{ code: 'bundle-signature-invalid', message: expect.stringContaining('The signature check could not be loaded (could not load attune-verify.min.js)') }]);
  });

  it('rejects an unsigned bundle as a whole when a key is configured', async () => {
    const host = fakeHost();
    publish(host, bundleText(3), { signed: false });
    const { served, problems, source } = load(host, undefined);
    await source.settled;
    expect(served).toEqual([]);
    expect(problems).toMatchObject([{ code: 'bundle-signature-invalid', message: expect.stringContaining('Default content is served') }]);
  });

  it('verifies the bytes as served, a byte-order mark included', async () => {
    const host = fakeHost();
    const text = '\uFEFF' + bundleText(3);
    publish(host, text);
    const db = await openDatabase('attune');
    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['network:3']);
    // The cached text re-encodes to the signed bytes, so the next start-up verifies it too.
    const next = load(fakeHost(), db);
    await next.source.ready;
    expect(versions(next.served)).toEqual(['cache:3']);
  });

  it('reports a bundle that is not UTF-8 as invalid', async () => {
    const host = fakeHost();
    host.files.set(URL, { body: Uint8Array.from([0x7b, 0xff, 0x7d]) });
    const { problems, source } = load(host, undefined, { key: undefined });
    await source.settled;
    expect(problems).toMatchObject([{ code: 'bundle-invalid', message: expect.stringContaining('UTF-8') }]);
  });
});

describe('the cache and stale-while-revalidate start-up', () => {
  it('serves the cached bundle before the network answers, then the fresher network copy', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const db = await openDatabase('attune');
    await cacheCurrent(host, db);

    publish(host, bundleText(4));
    const held = host.hold();
    const { served, source } = load(host, db);
    await source.ready;
    expect(versions(served)).toEqual(['cache:3']);
    held.release();
    await source.settled;
    expect(versions(served)).toEqual(['cache:3', 'network:4']);
    expect(await cachedVersion(db)).toBe(4);
  });

  it('revalidates with If-None-Match and keeps the cached copy on 304', async () => {
    const host = fakeHost();
    publish(host, bundleText(3), { etag: '"v3"' });
    const db = await openDatabase('attune');
    await cacheCurrent(host, db);

    host.requests.length = 0;
    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(host.requests.find((request) => request.url === URL)?.ifNoneMatch).toBe('"v3"');
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['cache:3']);
  });

  it('keeps serving the cached bundle when the network is down, and says so', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const db = await openDatabase('attune');
    await cacheCurrent(host, db);

    host.offline = true;
    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(versions(served)).toEqual(['cache:3']);
    expect(problems).toMatchObject([{ code: 'bundle-fetch-failed', message: expect.stringContaining('version 3, from cache) keeps serving') }]);
  });

  it('reads and writes no cache while there is no database (before consent)', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const { served, source } = load(host, undefined);
    await source.settled;
    expect(versions(served)).toEqual(['network:3']);
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('caches the serving bundle once storage opens later (persist)', async () => {
    const host = fakeHost();
    const text = bundleText(3);
    publish(host, text);
    const { source } = load(host, undefined);
    await source.settled;
    const db = await openDatabase('attune');
    await source.persist(db);
    expect((await db.get('bundles', URL))?.text).toBe(text);
  });

  it('does not serve a cached copy that no longer matches the key, and fetches afresh', async () => {
    const host = fakeHost();
    publish(host, bundleText(7), { etag: '"v7"' });
    const db = await openDatabase('attune');
    await cacheCurrent(host, db);

    // The key was rotated: the new key signs a bundle that restarts at version 1.
    const rotated = makeKeys();
    const text = bundleText(1);
    host.files.set(URL, { body: text, etag: '"v1"' });
    host.files.set(`${URL}.sig`, { body: signBytes(text, rotated) });
    host.requests.length = 0;
    const { served, problems, source } = load(host, db, { key: rotated.publicJwk });
    await source.settled;
    expect(problems).toMatchObject([{ code: 'bundle-signature-invalid', message: expect.stringContaining('Cached bundle') }]);
    expect(host.requests.find((request) => request.url === URL)?.ifNoneMatch).toBeNull();
    expect(versions(served)).toEqual(['network:1']);
  });
});

describe('keep-last-good: refused copies never replace the serving bundle', () => {
  async function servingVersion3(host: FakeHost): Promise<AttuneDatabase> {
    publish(host, bundleText(3));
    const db = await openDatabase('attune');
    await cacheCurrent(host, db);
    return db;
  }

  it('rejects a tampered copy and keeps the cached bundle serving and cached', async () => {
    const host = fakeHost();
    const db = await servingVersion3(host);
    const text = bundleText(4);
    publish(host, text);
    host.files.set(URL, { body: text.replace('Welcome back', 'Hacked'), etag: '"evil"' });

    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(versions(served)).toEqual(['cache:3']);
    expect(problems).toMatchObject([{ code: 'bundle-signature-invalid', message: expect.stringContaining('keeps serving') }]);
    expect(await cachedVersion(db)).toBe(3);
  });

  it('rejects a correctly signed bundle with a lower version as a rollback', async () => {
    const host = fakeHost();
    const db = await servingVersion3(host);
    publish(host, bundleText(2));

    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(versions(served)).toEqual(['cache:3']);
    expect(problems).toMatchObject([{ code: 'bundle-rollback', message: expect.stringMatching(/version 2 is lower than version 3/) }]);
    expect(await cachedVersion(db)).toBe(3);
  });

  it('accepts the same version again (a re-deploy)', async () => {
    const host = fakeHost();
    const db = await servingVersion3(host);
    publish(host, bundleText(3, { generatedAt: '2026-11-23T11:00:00Z' }));
    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['cache:3', 'network:3']);
  });

  /** Loads with the network held, and `record` written to the cache meanwhile (after the start-up read). */
  async function loadWhileCached(host: FakeHost, record: CachedBundleRecord): Promise<Loaded & { db: AttuneDatabase }> {
    const db = await openDatabase('attune');
    const held = host.hold();
    const loaded = load(host, db);
    await vi.waitFor(() => expect(host.requests.length).toBeGreaterThan(0)); // The start-up cache read is done.
    await db.put('bundles', record, URL);
    held.release();
    await loaded.source.settled;
    return { ...loaded, db };
  }

  it('refuses a rollback against a version another tab cached meanwhile', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const newer = bundleText(5);
    const { served, problems } = await loadWhileCached(host, { text: newer, signature: signBytes(newer, keys), storedAt: 0 });
    expect(served).toEqual([]);
    expect(problems).toMatchObject([{ code: 'bundle-rollback' }]);
  });

  it('takes the floor from the verified cached text, never from the record\'s own fields', async () => {
    const host = fakeHost();
    const db = await servingVersion3(host);
    // Someone edits the cached record in IndexedDB: its text and signature stay as signed.
    const stored = (await db.get('bundles', URL))!;
    await db.put('bundles', { ...stored, version: 1e15, etag: '"forged"', storedAt: 1e15 } as typeof stored, URL);
    publish(host, bundleText(4));

    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['cache:3', 'network:4']);
    expect(await cachedVersion(db)).toBe(4);
  });

  it('takes no floor from a cached copy that does not verify', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    // A copy written meanwhile whose signature does not match its text (not another tab: a forgery).
    const forged = { text: bundleText(9), signature: signBytes(bundleText(2), keys), version: 9, storedAt: 0 };
    const { served, problems, db } = await loadWhileCached(host, forged);
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['network:3']);
    expect(await cachedVersion(db)).toBe(3);
  });

  it('refuses a bundle over the size cap, naming its size and the cap, and keeps the cached one', async () => {
    const host = fakeHost();
    const db = await servingVersion3(host);
    const text = bundleText(10); // One byte longer than version 3, which fits.
    publish(host, text);
    const { served, problems, source } = load(host, db, { maxBytes: text.length - 1 });
    await source.settled;
    expect(versions(served)).toEqual(['cache:3']);
    expect(problems).toMatchObject([{ code: 'bundle-invalid', message: expect.stringContaining(`The bundle is ${text.length} bytes, over the cap of ${text.length - 1} (maxBundleBytes)`) }]);
    expect(problems[0]!.message).toContain('(version 3, from cache) keeps serving');
    expect(await cachedVersion(db)).toBe(3);
  });

  it('caps bundles at 2 MB by default', async () => {
    const host = fakeHost();
    const padded = (bytes: number) => bundleText(3).replace('"Welcome"', `"Welcome${' '.repeat(bytes - bundleText(3).length)}"`);
    publish(host, padded(2_000_000));
    const atCap = load(host, undefined);
    await atCap.source.settled;
    expect(atCap.problems).toEqual([]);

    publish(host, padded(2_000_001));
    const over = load(host, undefined);
    await over.source.settled;
    expect(over.served).toEqual([]);
    expect(over.problems).toMatchObject([{ code: 'bundle-invalid', message: expect.stringContaining('2000001 bytes, over the cap of 2000000') }]);
  });

  it('takes no floor from a cached record that is not a bundle record at all', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const { served, problems, db } = await loadWhileCached(host, { version: 9 } as unknown as CachedBundleRecord);
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['network:3']);
    expect(await cachedVersion(db)).toBe(3);
  });

  it('keeps the cached bundle when the network copy is invalid (no key configured)', async () => {
    const host = fakeHost();
    const db = await servingVersion3(host);
    host.files.set(URL, { body: '{"schema":"attune.bundle/1"', etag: '"broken"' });
    const { served, problems, source } = load(host, db, { key: undefined });
    await source.settled;
    expect(versions(served)).toEqual(['cache:3']);
    expect(problems).toMatchObject([{ code: 'bundle-invalid', message: expect.stringContaining('not UTF-8 JSON') }]);
    expect(problems[0]!.message).not.toContain('default content is served');
  });
});

describe('expired and inline bundles', () => {
  const EXPIRED = { expiresAt: '2026-11-01T00:00:00Z' }; // Before the tests' clock (2026-11-23).

  it('serves an expired bundle as expired and reports bundle-expired when nothing else serves', async () => {
    const host = fakeHost();
    publish(host, bundleText(3, EXPIRED));
    const db = await openDatabase('attune');
    const { served, problems, source } = load(host, db);
    await source.settled;
    expect(served[0]?.compiled.expiresAtMs).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(problems).toMatchObject([{ code: 'bundle-expired', message: expect.stringContaining('2026-11-01T00:00:00Z') }]);
    // Not kept: it would otherwise serve (expired) at the next start-up.
    expect(await db.get('bundles', URL)).toBeUndefined();
  });

  it('keeps the last good bundle when an expired one arrives, caches nothing and raises no floor', async () => {
    const host = fakeHost();
    publish(host, bundleText(3));
    const db = await openDatabase('attune');
    await cacheCurrent(host, db);

    publish(host, bundleText(4, EXPIRED));
    const second = load(host, db);
    await second.source.settled;
    expect(versions(second.served)).toEqual(['cache:3']);
    expect(second.problems).toMatchObject([{ code: 'bundle-expired', message: expect.stringContaining('version 3, from cache) keeps serving') }]);
    expect(await cachedVersion(db)).toBe(3);

    // The floor is still 3: a fixed version 3 is accepted.
    publish(host, bundleText(3, { generatedAt: '2026-11-23T11:00:00Z' }));
    const third = load(host, db);
    await third.source.settled;
    expect(third.problems).toEqual([]);
    expect(versions(third.served)).toEqual(['cache:3', 'network:3']);
  });

  it('serves a cached bundle that has expired since as expired, until a fresh copy replaces it', async () => {
    const host = fakeHost();
    publish(host, bundleText(3, { expiresAt: '2026-11-20T00:00:00Z' }));
    const db = await openDatabase('attune');
    const first = load(host, db, { now: () => Date.parse('2026-11-19T00:00:00Z') });
    await first.source.settled;
    expect(first.problems).toEqual([]);

    publish(host, bundleText(4));
    const held = host.hold();
    const { served, problems, source } = load(host, db);
    await source.ready;
    expect(versions(served)).toEqual(['cache:3']);
    expect(problems).toMatchObject([{ code: 'bundle-expired', message: expect.stringContaining('Default content is served') }]);
    held.release();
    await source.settled;
    expect(versions(served)).toEqual(['cache:3', 'network:4']);
    expect(await cachedVersion(db)).toBe(4);
  });

  it('verifies an inline bundle given as JSON text with its signature', async () => {
    const text = bundleText(3);
    const { served, problems, source } = load(fakeHost(), undefined, { url: undefined, inline: text, signature: signBytes(text, keys) });
    await source.settled;
    expect(problems).toEqual([]);
    expect(versions(served)).toEqual(['inline:3']);
  });

  it('rejects an inline bundle object when a key is configured: its bytes cannot be checked', async () => {
    const { served, problems, source } = load(fakeHost(), undefined, { url: undefined, inline: shopBundle() });
    await source.settled;
    expect(served).toEqual([]);
    expect(problems).toMatchObject([{ code: 'bundle-signature-invalid', message: expect.stringContaining('exact JSON text') }]);
  });
});
