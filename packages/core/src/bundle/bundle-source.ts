import type { CompiledBundle } from '../decide/types.js';
import { AttuneError, asAttuneError } from '../errors.js';
import type { AttuneDatabase, CachedBundleRecord } from '../storage/database.js';
import { cacheBundle, readCachedBundle } from './bundle-cache.js';
import { fetchBundle } from './fetch-bundle.js';
import { bundleVersion } from './format.js';
import type { Bundle } from './schema.js';
import type { BundleVerifier, createBundleVerifier } from './verify-signature.js';

/** Where the serving bundle came from. */
export type BundleOrigin = 'network' | 'cache' | 'inline';

/** The bundle decisions are made from now. */
export interface ServedBundle {
  compiled: CompiledBundle;
  source: BundleOrigin;
  /** `bundleVersion()` of the bundle: rollbacks below it are refused. */
  version: number;
}

export interface BundleSourceOptions {
  /** URL of the bundle; its cache key too. */
  url?: string | undefined;
  /** A bundle given inline: its exact JSON text (needed to check a signature) or an object. */
  inline?: string | object | undefined;
  /** Public JWK (object or JSON text): when set, only bundles signed by its private key are used. */
  key?: JsonWebKey | string | undefined;
  /** Loads the signature check (a part of its own: only pages with `key` need it); asked for at once when `key` is set. */
  loadVerifier(): Promise<typeof createBundleVerifier>;
  /** Where the detached signature of `url` is; default `${url}.sig`. Fetched only when `key` is set. */
  signatureUrl?: string | undefined;
  /** Signature of `inline` (base64url). */
  signature?: string | undefined;
  /** Bundles whose text is longer (in UTF-8 bytes) are refused. Default {@link MAX_BUNDLE_BYTES}. */
  maxBytes?: number | undefined;
  fetch: typeof fetch | undefined;
  now(): number;
  /**
   * The client's database when storage is allowed (after a consent grant), else undefined.
   * The cache is read and written only through it: nothing is stored before consent.
   */
  database(): Promise<AttuneDatabase | undefined>;
  /** Parses a bundle value into its compiled form (validate, then compile, maybe in slices); throws `AttuneError`. */
  compile: (value: unknown) => CompiledBundle | Promise<CompiledBundle>;
  /** A new bundle serves (the cached one at start-up, then a fresher one from the network). */
  onServe(served: ServedBundle): void;
  /** A bundle was refused, could not be fetched, or has expired. Never thrown. */
  onProblem(error: AttuneError): void;
}

export interface BundleSource {
  /** Resolves once a bundle serves (the cached copy at start-up) or none could be had. Never rejects. */
  ready: Promise<void>;
  /** Resolves once the start-up copy (inline or cached) serves or there is none: never waits for the network. Never rejects. */
  started: Promise<void>;
  /** Resolves once the network copy has been checked as well. Never rejects. */
  settled: Promise<void>;
  /**
   * Caches the serving bundle (if it came from the network) in `db`, once per database: call it
   * when storage opens after a grant, so the next page starts from the cache.
   */
  persist(db: AttuneDatabase): Promise<void>;
}

const typed = (error: unknown): AttuneError => asAttuneError(error, 'bundle-invalid');

/** The default cap on a bundle's text: 2 MB of JSON, far beyond what a site's rules need. */
export const MAX_BUNDLE_BYTES = 2_000_000;

/**
 * Loads the bundle and keeps the last good one: stale-while-revalidate from the IndexedDB cache,
 * then the network (If-None-Match; 304 keeps the cached copy), each copy verified (signature when
 * a key is configured), validated, compiled and checked against rollback before it serves. A
 * refused or expired copy never replaces a good one; every problem goes to `onProblem`, nothing
 * throws. The rollback floor is read from verified bundle text only, never from the cache record.
 */
export function loadBundleSource(options: BundleSourceOptions): BundleSource {
  const { url, compile } = options;
  const key = options.key;
  // Loaded from the start, beside the cache's read: every copy is checked with it before it serves.
  // A check that cannot load refuses every bundle (fail closed).
  const verifier = key === undefined ? undefined : options.loadVerifier().then(
    (create) => create(key),
    (error: unknown): BundleVerifier => () => Promise.reject(new AttuneError('bundle-signature-invalid', `The signature check could not be loaded (${typed(error).message}): the bundle is refused.`, error)),
  );
  const verify: BundleVerifier | undefined = verifier && (async (bytes, signature) => (await verifier)(bytes, signature));
  const encoder = new TextEncoder();
  let served: ServedBundle | undefined;
  /** The serving bundle as a cache record (network and cache copies), and the database holding it. */
  let record: CachedBundleRecord | undefined;
  let persistedIn: AttuneDatabase | undefined;
  /** The last cached text read as a rollback floor, and its version (-1: none). */
  let known: [string, number] | undefined;

  /** Reports a problem, saying what keeps serving (`keeps`, false: nothing). */
  function problem(error: unknown, where: string, keeps: ServedBundle | false | undefined = served): void {
    const { code, message, cause } = typed(error);
    const serving = keeps ? `The last good bundle (version ${keeps.version}, from ${keeps.source}) keeps serving.` : 'Default content is served.';
    options.onProblem(new AttuneError(code, `${where}: ${message} ${serving}`, cause ?? error));
  }

  /**
   * Serves `next` unless it has expired: an expired copy is reported and serves (its slots get
   * their defaults) only when nothing else does. Returns whether it is a good copy, to keep.
   */
  function serve(next: ServedBundle, where: string): boolean {
    const { expiresAtMs, bundle } = next.compiled;
    const good = expiresAtMs === undefined || options.now() < expiresAtMs;
    const keeps = served;
    if (good || !keeps) {
      served = next;
      options.onServe(next);
    }
    if (!good) problem(new AttuneError('bundle-expired', `expired at ${bundle.expiresAt}: publish a bundle with a later expiresAt.`), where, keeps ?? false);
    return good;
  }

  /** Verifies one copy (`bytes` exactly as signed) and parses it; throws `AttuneError`. */
  async function open(bytes: Uint8Array, signature: string | undefined): Promise<{ text: string; value: unknown }> {
    const max = options.maxBytes ?? MAX_BUNDLE_BYTES;
    if (bytes.length > max) throw new AttuneError('bundle-invalid', `The bundle is ${bytes.length} bytes, over the cap of ${max} (maxBundleBytes): make it smaller, or raise the cap.`);
    if (verify) await verify(bytes, signature);
    try {
      // Exactly UTF-8, a byte-order mark kept so the cached text re-encodes to the signed bytes.
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      return { text, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
    } catch (cause) {
      throw new AttuneError('bundle-invalid', `The bundle is not UTF-8 JSON (${typed(cause).message}).`, cause);
    }
  }

  /** Verifies, validates and compiles one copy; throws `AttuneError`. */
  async function check(bytes: Uint8Array, signature: string | undefined): Promise<{ compiled: CompiledBundle; text: string }> {
    const { text, value } = await open(bytes, signature);
    return { compiled: await compile(value), text };
  }

  /**
   * The rollback floor a cached copy sets: the version in its text once verified (-1 when there is
   * none or it does not verify), never the record's other fields, which anything can rewrite.
   */
  async function floorOf(copy: CachedBundleRecord | undefined): Promise<number> {
    const text = copy?.text;
    if (typeof text !== 'string') return -1; // None, or not a bundle record.
    if (text === record?.text) return served!.version;
    if (known?.[0] !== text) {
      let version = -1;
      try {
        version = bundleVersion((await open(encoder.encode(text), copy!.signature)).value as Bundle);
      } catch {
        // Not a floor: it does not verify.
      }
      known = [text, version >= 0 ? version : -1];
    }
    return known![1];
  }

  /** The client's database (only once consent allows storage) and the cached copy in it. */
  async function cached(): Promise<[AttuneDatabase | undefined, CachedBundleRecord | undefined]> {
    try {
      const db = await options.database();
      return [db, db && (await readCachedBundle(db, url!))];
    } catch {
      return [undefined, undefined]; // No cache this time: the network copy serves.
    }
  }

  async function persist(db: AttuneDatabase): Promise<void> {
    if (!record || !url || persistedIn === db) return;
    persistedIn = db; // Once per database: a failure is reported once, not on every change.
    const copy = record;
    const version = served!.version;
    try {
      // A higher version another tab cached stays; a copy cached meanwhile is checked again.
      let stored: CachedBundleRecord | undefined;
      do stored = await readCachedBundle(db, url);
      while ((await floorOf(stored)) <= version && !(await cacheBundle(db, url, copy, stored?.text)));
    } catch (error) {
      options.onProblem(new AttuneError('storage-unavailable', `The bundle could not be cached for the next page: ${typed(error).message}`, error));
    }
  }

  async function loadInline(inline: string | object): Promise<void> {
    try {
      if (typeof inline !== 'string' && verify) throw new AttuneError('bundle-signature-invalid', 'An inline bundle object cannot be verified: pass its exact JSON text as `bundle`, with `bundleSignature`.');
      // Inline bundles come with the page: they are not cached.
      const compiled = typeof inline === 'string' ? (await check(encoder.encode(inline), options.signature)).compiled : await compile(inline);
      serve({ compiled, source: 'inline', version: bundleVersion(compiled.bundle) }, 'Inline bundle');
    } catch (error) {
      problem(error, 'Inline bundle');
    }
  }

  /** Start-up from the cache: the last good copy serves at once if it still checks out. */
  async function loadCached(): Promise<CachedBundleRecord | undefined> {
    const [db, copy] = await cached();
    if (!copy) return undefined;
    try {
      // Checked again: the key may have been rotated since it was stored.
      const { compiled } = await check(encoder.encode(copy.text), copy.signature);
      const version = bundleVersion(compiled.bundle);
      known = [copy.text, version];
      record = copy;
      persistedIn = db;
      // Expired since it was stored, it serves all the same (default content) until a fresh copy comes.
      serve({ compiled, source: 'cache', version }, `Cached bundle ${url}`);
      return copy;
    } catch (error) {
      problem(error, `Cached bundle ${url}`);
      // A copy that no longer checks out must not stand as a rollback floor for newer ones.
      await db?.delete('bundles', url!).catch(() => {});
      return undefined;
    }
  }

  async function refresh(etag: string | undefined): Promise<void> {
    const where = `Bundle ${url}`;
    try {
      if (!options.fetch) throw new AttuneError('bundle-fetch-failed', 'There is no fetch() here: pass the bundle inline.');
      const fetched = await fetchBundle(options.fetch, url!, etag, verify && (options.signatureUrl ?? `${url}.sig`));
      if (!fetched) return; // 304: the cached copy is the current one.
      const { compiled, text } = await check(fetched.bytes, fetched.signature);
      const version = bundleVersion(compiled.bundle);
      // Consent may have been granted meanwhile, and another tab may have cached a newer copy.
      const [db, latest] = await cached();
      const floor = Math.max(served?.version ?? -1, await floorOf(latest));
      if (version < floor) throw new AttuneError('bundle-rollback', `Refused as a rollback: version ${version} is lower than version ${floor}, already used here: publish a higher version.`);
      // An expired copy is neither kept nor a floor: the last good one stays cached.
      if (!serve({ compiled, source: 'network', version }, where)) return;
      record = { text, storedAt: options.now(), signature: fetched.signature, etag: fetched.etag };
      persistedIn = undefined;
      if (db) await persist(db);
    } catch (error) {
      problem(error, where);
    }
  }

  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  // The start-up copy: the inline bundle, or the cached one (never the network).
  const inline = options.inline;
  const start: Promise<CachedBundleRecord | void> = inline !== undefined ? loadInline(inline) : url === undefined ? Promise.resolve() : loadCached();
  const settled = (async () => {
    const copy = await start;
    if (served) resolveReady(); // Stale-while-revalidate: the cached copy serves while the network is asked.
    if (inline === undefined && url !== undefined) await refresh(copy?.etag);
  })().finally(() => resolveReady());

  return { ready, started: start.then(() => {}), settled, persist };
}
