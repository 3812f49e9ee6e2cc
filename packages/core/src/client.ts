import { loadBundle } from './bundle/load-bundle.js';
import { ALL_PURPOSES, anyGranted, readStoredConsent, storeConsent, type ConsentState, type Purpose } from './consent/consent.js';
import { readContext, type PageContext } from './context/read-context.js';
import { decideSlot, type Decision } from './engine/decide.js';
import type { CompiledBundle } from './engine/compile-bundle.js';
import { resolveEnvironment, type AttuneEnvironment } from './environment.js';
import { AttuneError } from './errors.js';
import { assertSerializable, validateEventInput, type AttuneEvent, type EventType } from './events/event.js';
import { createUuidV7Generator } from './events/uuidv7.js';
import { EMPTY_PROFILE, withIncrement, type ProfileSnapshot } from './profile/profile.js';
import { deleteDatabase, hasIndexedDB, openDatabase, type AttuneDatabase } from './storage/database.js';
import { loadProfile } from './storage/load-profile.js';
import { createWriteBatch } from './storage/write-batch.js';
import { flushQueue } from './sync/flush-queue.js';
import { createFlushScheduler } from './sync/flush-scheduler.js';
import { createJsonSender } from './sync/send-json.js';

export interface AttuneOptions {
  /** Where events are POSTed (JSON batch format). Without it events stay on the device. */
  collectorUrl?: string;
  /** URL of the rule bundle (JSON). */
  bundleUrl?: string;
  /** A bundle object given inline instead of `bundleUrl`. */
  bundle?: object;
  /** How long events are batched before a send, in ms. Default 1000. */
  flushIntervalMs?: number;
  /** Events per request. Default 50. */
  batchSize?: number;
  /** IndexedDB database name. Default "attune". */
  databaseName?: string;
  /** Receives every problem (invalid event, rejected bundle, failed send). Default: console.warn. */
  onError?: (error: AttuneError) => void;
  /** Replace clock, network, storage or timers (tests, Node). */
  environment?: Partial<AttuneEnvironment>;
}

export type BundleStatus = 'none' | 'loading' | 'ready' | 'failed';

/** Immutable view of the client state; a new object after every change. */
export interface AttuneSnapshot {
  consent: Readonly<ConsentState>;
  bundle: { status: BundleStatus; id?: string; version?: string | number; error?: AttuneError };
  profile: ProfileSnapshot;
}

export interface AttuneClient {
  consent: {
    /** Grants purposes (default: all). Storage starts only now. */
    grant(purposes?: Purpose[]): Promise<void>;
    /** Denies purposes (default: all); denying every purpose erases the local database. */
    deny(purposes?: Purpose[]): Promise<void>;
    get(): Readonly<ConsentState>;
  };
  /** Records an event. Never throws: bad input is dropped with a warning. */
  track(name: string, properties?: Record<string, unknown>): void;
  /** Records a page view (`page_view`) with the current page context. */
  page(properties?: Record<string, unknown>): void;
  /** Decides a slot synchronously from the in-memory profile and the compiled bundle. */
  decide(slot: string): Decision;
  /** Sends queued events now; resolves when done (rejects if the collector failed). */
  flush(): Promise<void>;
  /** Resolves once the bundle is loaded (or failed) and the stored profile is read. */
  ready: Promise<void>;
  subscribe(listener: () => void): () => void;
  getSnapshot(): AttuneSnapshot;
  /** Stops timers and listeners (the data stays). */
  destroy(): void;
}

function warnToConsole(error: AttuneError): void {
  console.warn(`[attune] ${error.code}: ${error.message}`);
}

/** Creates the SDK client: the one place that wires consent, events, profile, bundle and sync. */
export function createAttune(options: AttuneOptions = {}): AttuneClient {
  const env = resolveEnvironment(options.environment);
  const reportError = options.onError ?? warnToConsole;
  const report = (error: unknown, code: AttuneError['code'] = 'sync-failed'): void => {
    reportError(error instanceof AttuneError ? error : new AttuneError(code, error instanceof Error ? error.message : String(error), error));
  };
  const databaseName = options.databaseName ?? 'attune';
  const batchSize = options.batchSize ?? 50;
  const uuid = createUuidV7Generator(env.now, env.randomBytes);

  let consent = readStoredConsent(env.storage);
  let profile = EMPTY_PROFILE;
  let compiled: CompiledBundle | undefined;
  let bundleState: AttuneSnapshot['bundle'] = { status: options.bundle || options.bundleUrl ? 'loading' : 'none' };
  let snapshot: AttuneSnapshot = { consent, bundle: bundleState, profile };
  let database: Promise<AttuneDatabase | undefined> | undefined;
  let context: PageContext = readContext(env.now());
  let contextReadAt = env.now();
  const listeners = new Set<() => void>();

  function notify(): void {
    snapshot = { consent, bundle: bundleState, profile };
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        // One failing listener must not stop the others.
        console.error('[attune] a subscriber threw:', error);
      }
    }
  }

  /** Opens IndexedDB (only ever after a grant) and reads the stored profile. */
  function openStorage(): Promise<AttuneDatabase | undefined> {
    database ??= (async () => {
      if (!hasIndexedDB()) {
        report(new AttuneError('storage-unavailable', 'IndexedDB is not available: the profile lives in memory for this page only.'));
        profile = { ...profile, anonymousId: profile.anonymousId ?? uuid() };
        return undefined;
      }
      try {
        const db = await openDatabase(databaseName);
        const stored = await loadProfile(db, uuid);
        profile = { ...stored, counters: mergeCounts(stored.counters, profile.counters) };
        return db;
      } catch (error) {
        report(new AttuneError('storage-unavailable', 'IndexedDB could not be opened: the profile lives in memory for this page only.', error));
        profile = { ...profile, anonymousId: profile.anonymousId ?? uuid() };
        return undefined;
      }
    })();
    return database;
  }

  // Counts made in memory while the database was opening are added to the stored ones.
  function mergeCounts(stored: Readonly<Record<string, number>>, pending: Readonly<Record<string, number>>): Record<string, number> {
    const merged: Record<string, number> = { ...stored };
    for (const [name, count] of Object.entries(pending)) merged[name] = (merged[name] ?? 0) + count;
    return merged;
  }

  /** Set once storage is open (or fell back to memory): events then apply synchronously. */
  let storageOpen = false;
  let openDb: AttuneDatabase | undefined;
  const writes = createWriteBatch(() => openDb, (error) => report(error, 'storage-unavailable'));

  const sender =
    options.collectorUrl && env.fetch ? createJsonSender(options.collectorUrl, env.fetch, env.now) : undefined;

  async function flushNow(): Promise<void> {
    if (!sender || consent.analytics !== 'granted' || !database) return;
    const db = await database;
    if (!db) return;
    await writes.settled();
    await flushQueue(db, sender, batchSize);
  }

  const scheduler = createFlushScheduler(env, async () => {
    try {
      await flushNow();
    } catch (error) {
      report(error);
      throw error;
    }
  }, options.flushIntervalMs ?? 1000);

  function startStorage(): Promise<void> {
    return openStorage().then((db) => {
      openDb = db;
      storageOpen = true;
      notify();
      if (consent.analytics === 'granted') scheduler.soon();
    });
  }

  const bundleReady = (async () => {
    const source = options.bundle ?? options.bundleUrl;
    if (!source) return;
    try {
      compiled = await loadBundle(source, env.fetch);
      bundleState = { status: 'ready', id: compiled.bundle.id, version: compiled.bundle.version };
    } catch (error) {
      const typed = error instanceof AttuneError ? error : new AttuneError('bundle-invalid', String(error), error);
      bundleState = { status: 'failed', error: typed };
      reportError(typed);
    }
    notify();
  })();

  const storageReady = anyGranted(consent) ? startStorage() : Promise.resolve();
  const ready = Promise.all([bundleReady, storageReady]).then(() => undefined);

  function record(type: EventType, name: unknown, properties: unknown): void {
    try {
      if (!anyGranted(consent)) return; // Nothing is kept or sent before consent.
      const input = validateEventInput(name, properties);
      if (type === 'page') context = readContext(env.now());
      const granted = ALL_PURPOSES.filter((purpose) => consent[purpose] === 'granted');
      const event: AttuneEvent = {
        id: uuid(),
        type,
        name: input.name,
        timestamp: new Date(env.now()).toISOString(),
        anonymousId: profile.anonymousId ?? '',
        sessionId: '',
        context,
        properties: input.properties,
        consent: granted,
      };
      assertSerializable(event);
      // Until storage is open (right after a grant) the event waits; then the profile updates
      // synchronously so a decide() right after track() already sees it.
      if (storageOpen) apply(event);
      else void startStorage().then(() => apply(event));
    } catch (error) {
      report(error, 'event-invalid');
    }
  }

  function apply(event: AttuneEvent): void {
    if (!anyGranted(consent)) return; // Withdrawn while the event waited.
    if (!event.anonymousId) event.anonymousId = profile.anonymousId ?? '';
    if (consent.personalization === 'granted') {
      profile = withIncrement(profile, event.name);
      writes.increment(event.name);
    }
    if (consent.analytics === 'granted') {
      writes.append(event);
      scheduler.soon();
    }
    notify();
  }

  async function grant(purposes: Purpose[] = [...ALL_PURPOSES]): Promise<void> {
    consent = { ...consent };
    for (const purpose of purposes) consent[purpose] = 'granted';
    storeConsent(env.storage, consent);
    notify();
    await startStorage();
  }

  async function deny(purposes: Purpose[] = [...ALL_PURPOSES]): Promise<void> {
    consent = { ...consent };
    for (const purpose of purposes) consent[purpose] = 'denied';
    storeConsent(env.storage, consent);
    const db = database ? await database : undefined;
    if (!anyGranted(consent)) {
      // Withdrawal erases: no profile, no queue, no ids, no database left behind.
      writes.discard();
      db?.close();
      database = undefined;
      openDb = undefined;
      storageOpen = false;
      profile = EMPTY_PROFILE;
      if (hasIndexedDB()) await deleteDatabase(databaseName).catch((error: unknown) => report(error, 'storage-unavailable'));
    } else if (db && consent.analytics !== 'granted') {
      await db.clear('queue');
    } else if (db && consent.personalization !== 'granted') {
      await db.clear('counters');
      profile = { ...profile, counters: {} };
    }
    notify();
  }

  // Leaving the page (or coming back online) is the moment to send what is queued.
  const onHidden = (): void => {
    if (globalThis.document?.visibilityState === 'hidden') void scheduler.now();
  };
  const onOnline = (): void => void scheduler.now();
  globalThis.document?.addEventListener?.('visibilitychange', onHidden);
  globalThis.addEventListener?.('pagehide', onOnline);
  globalThis.addEventListener?.('online', onOnline);

  return {
    consent: { grant, deny, get: () => consent },
    track: (name, properties) => record('track', name, properties),
    page: (properties) => record('page', 'page_view', properties),
    decide(slot) {
      const nowMs = env.now();
      // Reading the locale and URL costs microseconds; refresh the context at most once a second.
      if (nowMs - contextReadAt > 1000) {
        context = readContext(nowMs);
        contextReadAt = nowMs;
      }
      return decideSlot(compiled, slot, { context, profile }, {
        personalizationAllowed: consent.personalization === 'granted',
        nowMs,
        onRuleError: (experienceId, error) =>
          reportError(new AttuneError('rule-invalid', `A rule of experience "${experienceId}" failed and was treated as false: ${error instanceof Error ? error.message : String(error)}`, error)),
      });
    },
    flush: () => flushNow(),
    ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    destroy() {
      scheduler.stop();
      listeners.clear();
      globalThis.document?.removeEventListener?.('visibilitychange', onHidden);
      globalThis.removeEventListener?.('pagehide', onOnline);
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
}
