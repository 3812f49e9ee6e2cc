import { compileBundle, type CompiledBundle } from '../engine/compile-bundle.js';
import { AttuneError } from '../errors.js';
import type { AttuneDatabase, CachedBundleRecord } from '../storage/database.js';
import { cacheBundle, readCachedBundle } from './bundle-cache.js';
import { fetchBundle } from './fetch-bundle.js';
import { bundleVersion } from './schema.js';
import { validateBundle } from './validate-bundle.js';
import { createBundleVerifier, type BundleVerifier } from './verify-signature.js';

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
  /** Where the detached signature of `url` is; default `${url}.sig`. Fetched only when `key` is set. */
  signatureUrl?: string | undefined;
  /** Signature of `inline` (base64url). */
  signature?: string | undefined;
  fetch: typeof fetch | undefined;
  now(): number;
  /**
   * The client's database when storage is allowed (after a consent grant), else undefined.
   * The cache is read and written only through it: nothing is stored before consent.
   */
  database(): Promise<AttuneDatabase | undefined>;
  /** Parses a bundle value into its compiled form; throws `AttuneError`. Default: validate, then compile. */
  compile?: (value: unknown) => CompiledBundle;
  /** A new bundle serves (the cached one at start-up, then a fresher one from the network). */
  onServe(served: ServedBundle): void;
  /** A bundle was refused, could not be fetched, or has expired. Never thrown. */
  onProblem(error: AttuneError): void;
}

export interface BundleSource {
  /** Resolves once a bundle serves (the cached copy at start-up) or none could be had. Never rejects. */
  ready: Promise<void>;
  /** Resolves once the network copy has been checked as well. Never rejects. */
  settled: Promise<void>;
  current(): ServedBundle | undefined;
  /**
   * Caches the serving bundle (if it came from the network) in `db`, once per database: call it
   * when storage opens after a grant, so the next page starts from the cache.
   */
  persist(db: AttuneDatabase): Promise<void>;
}

const defaultCompile = (value: unknown): CompiledBundle => compileBundle(validateBundle(value));

/** UTF-8 exactly: a byte-order mark is kept so the text re-encodes to the signed bytes. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new AttuneError('bundle-invalid', 'The bundle is not UTF-8 text: save it as UTF-8 JSON.', cause);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new AttuneError('bundle-invalid', `The bundle is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}).`, cause);
  }
}

const typed = (error: unknown): AttuneError =>
  error instanceof AttuneError ? error : new AttuneError('bundle-invalid', error instanceof Error ? error.message : String(error), error);

/**
 * Loads the bundle and keeps the last good one: stale-while-revalidate from the IndexedDB cache,
 * then the network (If-None-Match; 304 keeps the cached copy), each copy verified (signature when
 * a key is configured), validated, compiled and checked against rollback before it serves. A
 * refused copy never replaces a good one; every problem goes to `onProblem`, nothing throws.
 */
export function loadBundleSource(options: BundleSourceOptions): BundleSource {
  const compile = options.compile ?? defaultCompile;
  const verify: BundleVerifier | undefined = options.key === undefined ? undefined : createBundleVerifier(options.key);
  const encoder = new TextEncoder();
  let served: ServedBundle | undefined;
  /** The serving bundle as a cache record (network copies only), and the database it is in. */
  let record: CachedBundleRecord | undefined;
  let persistedIn: AttuneDatabase | undefined;

  /** Reports a problem, saying what keeps serving. */
  function problem(error: unknown, where: string): void {
    const base = typed(error);
    const keeps = served
      ? `The last good bundle (version ${served.version}, from ${served.source}) keeps serving.`
      : 'Default content is served.';
    // validateBundle's messages promise default content; with a last good bundle that is wrong.
    const message = served ? base.message.replace(/ and default content is served/, '') : base.message;
    options.onProblem(new AttuneError(base.code, `${where}: ${message} ${keeps}`, base.cause ?? error));
  }

  function serve(next: ServedBundle, where: string): void {
    served = next;
    options.onServe(next);
    const expiresAtMs = next.compiled.expiresAtMs;
    if (expiresAtMs !== undefined && options.now() >= expiresAtMs) {
      options.onProblem(new AttuneError('bundle-expired', `${where}: The bundle "${next.compiled.bundle.id}" (version ${next.version}) expired at ${next.compiled.bundle.expiresAt}, so it is not used and default content is served. Publish a bundle with a later expiresAt.`));
    }
  }

  /** Verifies, validates and compiles one copy; throws `AttuneError`. */
  async function check(bytes: Uint8Array, text: string, signature: string | undefined): Promise<CompiledBundle> {
    if (verify) await verify(bytes, signature);
    return compile(parseJson(text));
  }

  async function openDatabase(): Promise<AttuneDatabase | undefined> {
    try {
      return await options.database();
    } catch {
      return undefined; // The client reports storage problems itself.
    }
  }

  async function cachedIn(db: AttuneDatabase | undefined, url: string): Promise<CachedBundleRecord | undefined> {
    try {
      return db ? await readCachedBundle(db, url) : undefined;
    } catch (error) {
      options.onProblem(new AttuneError('storage-unavailable', `The cached bundle could not be read (${typed(error).message}); it is fetched again.`, error));
      return undefined;
    }
  }

  async function persist(db: AttuneDatabase): Promise<void> {
    if (!record || !options.url || persistedIn === db) return;
    persistedIn = db;
    try {
      await cacheBundle(db, options.url, record);
    } catch (error) {
      // Not retried on this page: the client would otherwise report it on every change.
      options.onProblem(new AttuneError('storage-unavailable', `The bundle could not be cached for the next page (${typed(error).message}); it is fetched again then.`, error));
    }
  }

  async function loadInline(inline: string | object): Promise<void> {
    try {
      let compiled: CompiledBundle;
      if (typeof inline === 'string') compiled = await check(encoder.encode(inline), inline, options.signature);
      else if (verify) throw new AttuneError('bundle-signature-invalid', 'An inline bundle given as an object cannot be verified: pass its exact JSON text as `bundle` (with `bundleSignature`).');
      else compiled = compile(inline);
      serve({ compiled, source: 'inline', version: bundleVersion(compiled.bundle) }, 'Inline bundle');
    } catch (error) {
      problem(error, 'Inline bundle');
    }
  }

  /** Start-up from the cache: the last good copy serves at once if it still checks out. */
  async function loadCached(url: string): Promise<CachedBundleRecord | undefined> {
    const db = await openDatabase();
    const cached = await cachedIn(db, url);
    if (!cached) return undefined;
    try {
      // Checked again: the key may have been rotated since it was stored.
      const compiled = await check(encoder.encode(cached.text), cached.text, cached.signature);
      record = cached;
      persistedIn = db;
      serve({ compiled, source: 'cache', version: bundleVersion(compiled.bundle) }, `Cached bundle ${url}`);
      return cached;
    } catch (error) {
      problem(error, `Cached bundle ${url}`);
      // A copy that no longer checks out (e.g. the key was rotated) must not block newer ones as a rollback floor.
      await db?.delete('bundles', url).catch(() => {});
      return undefined;
    }
  }

  async function refresh(url: string, cached: CachedBundleRecord | undefined): Promise<void> {
    if (!options.fetch) return problem(new AttuneError('bundle-fetch-failed', 'There is no fetch() here: pass the bundle inline instead.'), `Bundle ${url}`);
    try {
      const signatureUrl = verify ? (options.signatureUrl ?? `${url}.sig`) : undefined;
      const fetched = await fetchBundle(options.fetch, url, { etag: cached?.etag, signatureUrl });
      if (fetched.kind === 'unchanged') return; // 304: the cached copy is the current one.
      const text = decodeText(fetched.bytes);
      const compiled = await check(fetched.bytes, text, fetched.signature);
      const version = bundleVersion(compiled.bundle);
      // Consent may have been granted meanwhile, and another tab may have cached a newer copy.
      const db = await openDatabase();
      const latest = await cachedIn(db, url);
      const floor = Math.max(served?.version ?? -1, latest?.version ?? -1);
      if (version < floor) {
        throw new AttuneError('bundle-rollback', `The bundle was refused as a rollback: its version ${version} is lower than version ${floor}, already used on this device (an old signed bundle served again?). Publish it with a version above ${floor}.`);
      }
      record = { text, version, storedAt: options.now(), ...(fetched.signature !== undefined ? { signature: fetched.signature } : {}), ...(fetched.etag !== undefined ? { etag: fetched.etag } : {}) };
      persistedIn = undefined;
      serve({ compiled, source: 'network', version }, `Bundle ${url}`);
      if (db) await persist(db);
    } catch (error) {
      problem(error, `Bundle ${url}`);
    }
  }

  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const settled = (async () => {
    if (options.inline !== undefined) return loadInline(options.inline);
    if (options.url === undefined) return;
    const cached = await loadCached(options.url);
    if (served) resolveReady(); // Stale-while-revalidate: the cached copy serves while the network is asked.
    await refresh(options.url, cached);
  })()
    .catch((error: unknown) => problem(error, 'Bundle'))
    .finally(() => resolveReady());

  return { ready, settled, current: () => served, persist };
}
