import { loadBundle } from './bundle/load-bundle.js';
import { ALL_PURPOSES, anyGranted, grantedPurposes, PURPOSE_NAME, readStoredConsent, storeConsent, type ConsentState, type Purpose } from './consent/consent.js';
import { DEFAULT_TCF_PURPOSES, gpcEnabled, listenToTcf } from './consent/signals.js';
import { readContext, type PageContext } from './context/read-context.js';
import { decideSlot, type Decision } from './engine/decide.js';
import type { CompiledBundle } from './engine/compile-bundle.js';
import { resolveEnvironment } from './environment.js';
import { AttuneError } from './errors.js';
import { buildEvent, stampIdentity, type EventInput } from './events/build-event.js';
import { measureEvent, type AttuneEvent } from './events/event.js';
import { createSessionTracker } from './events/session.js';
import { createUuidV7Generator } from './events/uuidv7.js';
import type { AttuneClient, AttuneDiagnostics, AttuneOptions, AttuneSnapshot } from './client-types.js';
import { createProfileState } from './profile/profile-state.js';
import { deleteDatabase, hasIndexedDB, openDatabase, type AttuneDatabase } from './storage/database.js';
import { loadProfile, storeUserId } from './storage/load-profile.js';
import type { EventQueue } from './storage/event-queue.js';
import { createMemoryQueue, type MemoryQueue } from './storage/memory-queue.js';
import { createStoredQueue } from './storage/stored-queue.js';
import { createWriteBatch } from './storage/write-batch.js';
import { createSync } from './sync/create-sync.js';

export type { AttuneClient, AttuneDiagnostics, AttuneOptions, AttuneSnapshot, BundleStatus } from './client-types.js';

function warnToConsole(error: AttuneError): void {
  console.warn(`[attune] ${error.code}: ${error.message}`);
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Creates the SDK client: the one place that wires consent, events, profile, bundle and sync. */
export function createAttune(options: AttuneOptions = {}): AttuneClient {
  const env = resolveEnvironment(options.environment);
  const reportError = options.onError ?? warnToConsole;
  const report = (error: unknown, code: AttuneError['code']): void =>
    reportError(error instanceof AttuneError ? error : new AttuneError(code, errorMessage(error), error));
  const databaseName = options.databaseName ?? 'attune';
  const uuid = createUuidV7Generator(env.now, env.randomBytes);
  const sessions = createSessionTracker(env, uuid);
  const gpcBlocksAnalytics = options.gpc !== 'ignore' && gpcEnabled();

  const sitePurposes: string[] = [];
  for (const purpose of options.purposes ?? []) {
    if (PURPOSE_NAME.test(purpose) && !(ALL_PURPOSES as readonly string[]).includes(purpose)) sitePurposes.push(purpose);
    else reportError(new AttuneError('consent-invalid', `The purpose ${JSON.stringify(purpose)} was ignored: site purposes are lower-case names (a-z, 0-9, - and _, at most 40 characters) other than analytics and personalization.`));
  }
  const allPurposes: Purpose[] = [...ALL_PURPOSES, ...sitePurposes];
  let consent = readStoredConsent(env.storage, sitePurposes);
  if (gpcBlocksAnalytics) consent = { ...consent, analytics: 'denied' };
  /** Purposes granted now, stamped on every event (kept ready: track() is a hot path). */
  let granted = grantedPurposes(consent);
  const profile = createProfileState();
  let compiled: CompiledBundle | undefined;
  let bundleState: AttuneSnapshot['bundle'] = { status: options.bundle || options.bundleUrl ? 'loading' : 'none' };
  const diagnostics: AttuneDiagnostics = { invalidEvents: 0, droppedEvents: 0, rejectedEvents: 0, bufferedEvents: 0 };
  let snapshot: AttuneSnapshot | undefined;
  let context: PageContext = readContext(env.now());
  let contextReadAt = env.now();
  const listeners = new Set<() => void>();
  /** Events tracked before any consent decision, kept in memory only (bufferBeforeConsent). */
  let preConsent: AttuneEvent[] = [];

  let notifyScheduled = false;

  /**
   * Marks the state changed and tells subscribers once per burst (a microtask later), so a loop
   * of track() calls re-renders once, not once per event.
   */
  function notify(): void {
    snapshot = undefined;
    if (notifyScheduled) return;
    notifyScheduled = true;
    queueMicrotask(() => {
      notifyScheduled = false;
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch (error) {
          // One failing listener must not stop the others.
          console.error('[attune] a subscriber threw:', error);
        }
      }
    });
  }

  // ---- storage: opened only after a grant, erased on withdrawal ----
  let database: Promise<AttuneDatabase | undefined> | undefined;
  /** Set once storage is open (or fell back to memory): events then apply synchronously. */
  let storageOpen = false;
  let openDb: AttuneDatabase | undefined;
  /** The outgoing queue once storage is decided: IndexedDB, or memory when it is unavailable. */
  let queue: EventQueue | undefined;
  let memoryQueue: MemoryQueue | undefined;
  const caps = { maxEvents: options.queue?.maxEvents ?? 1000, maxBytes: options.queue?.maxBytes ?? 1_000_000 };
  const onDropped = (count: number): void => {
    diagnostics.droppedEvents += count;
    reportError(new AttuneError('queue-overflow', `The outgoing queue is full (the collector has not taken events for a while): dropped the ${count} oldest event(s).`));
    notify();
  };
  const writes = createWriteBatch(
    () => openDb,
    caps,
    (error, unwritten) => {
      if ((error as { name?: unknown } | undefined)?.name !== 'QuotaExceededError') return report(error, 'storage-unavailable');
      // The device is out of space: carry on in memory rather than lose what comes next.
      openDb = undefined;
      memoryOnly('IndexedDB is full', error);
      for (const record of unwritten) memoryQueue?.append(record.event, record.bytes);
    },
    onDropped,
  );

  function memoryOnly(reason: string, cause?: unknown): undefined {
    reportError(new AttuneError('storage-unavailable', `${reason}: the profile and the outgoing queue live in memory for this page only.`, cause));
    if (!profile.identity().anonymousId) profile.setIdentity({ anonymousId: uuid() });
    queue = memoryQueue = createMemoryQueue(caps, onDropped);
    return undefined;
  }

  function openStorage(): Promise<void> {
    database ??= (async () => {
      if (!hasIndexedDB()) return memoryOnly('IndexedDB is not available');
      try {
        const db = await openDatabase(databaseName);
        // A first grant created the id in memory already (events may have left with it): keep it.
        const stored = await loadProfile(db, () => profile.identity().anonymousId ?? uuid());
        profile.setIdentity({ anonymousId: stored.anonymousId, userId: profile.identity().userId ?? stored.userId });
        profile.mergeCounters(stored.counters);
        return db;
      } catch (error) {
        return memoryOnly('IndexedDB could not be opened', error);
      }
    })();
    return database.then((db) => {
      if (storageOpen || !database) return;
      openDb = db;
      if (db) queue = createStoredQueue(db);
      storageOpen = true;
      notify();
      if (consent.analytics === 'granted') sync?.soon();
    });
  }

  async function erase(): Promise<void> {
    writes.discard();
    sessions.clear();
    preConsent = [];
    const db = database ? await database : undefined;
    db?.close();
    database = undefined;
    openDb = undefined;
    queue = memoryQueue = undefined;
    storageOpen = false;
    profile.reset();
    if (hasIndexedDB()) await deleteDatabase(databaseName).catch((error: unknown) => report(error, 'storage-unavailable'));
  }

  // ---- sync ----
  const sync =
    options.collectorUrl && env.fetch
      ? createSync(
          env,
          {
            collectorUrl: options.collectorUrl,
            batchSize: options.batchSize ?? 50,
            flushIntervalMs: options.flushIntervalMs ?? 1000,
            requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
            ...(options.adapter ? { adapter: options.adapter } : {}),
            ...(options.writeKey !== undefined ? { writeKey: options.writeKey } : {}),
            ...(options.headers ? { headers: options.headers } : {}),
          },
          {
            queue: async () => {
              await database;
              return queue;
            },
            settled: () => writes.settled(),
            allowed: () => consent.analytics === 'granted',
            report: reportError,
            onPoisoned: (count) => {
              diagnostics.rejectedEvents += count;
              notify();
            },
          },
        )
      : undefined;

  // ---- bundle ----
  const bundleReady = (async () => {
    const source = options.bundle ?? options.bundleUrl;
    if (!source) return;
    try {
      compiled = await loadBundle(source, env.fetch);
      bundleState = { status: 'ready', id: compiled.bundle.id, version: compiled.bundle.version };
    } catch (error) {
      const typed = error instanceof AttuneError ? error : new AttuneError('bundle-invalid', errorMessage(error), error);
      bundleState = { status: 'failed', error: typed };
      reportError(typed);
    }
    notify();
  })();

  const storageReady = anyGranted(consent) ? openStorage() : Promise.resolve();
  const ready = Promise.all([bundleReady, storageReady]).then(() => undefined);

  // ---- events ----
  function stamp(event: AttuneEvent): void {
    stampIdentity(event, {
      anonymousId: profile.identity().anonymousId ?? '',
      userId: profile.identity().userId,
      sessionId: sessions.touch(),
      consent: granted,
    });
  }

  function apply(event: AttuneEvent, bytes: number): void {
    if (!anyGranted(consent)) return; // Withdrawn while the event waited.
    stamp(event);
    if (consent.personalization === 'granted') {
      profile.increment(event.name);
      writes.increment(event.name);
    }
    if (consent.analytics === 'granted') {
      if (openDb) writes.append(event, bytes);
      else memoryQueue?.append(event, bytes);
      sync?.add(event);
    }
    notify();
  }

  function record(input: EventInput): void {
    try {
      const undecided = consent.analytics === 'unknown' && consent.personalization === 'unknown';
      const buffering = undecided && (options.bufferBeforeConsent ?? 0) > 0;
      if (!anyGranted(consent) && !buffering) return; // Nothing is kept or sent before consent.
      if (input.type === 'page') context = readContext(env.now());
      const event = buildEvent(input, uuid(), env.now(), context);
      const bytes = measureEvent(event);
      if (!anyGranted(consent)) {
        // In memory only; written or sent once (and only if) consent is granted.
        if (preConsent.length < (options.bufferBeforeConsent ?? 0)) preConsent.push(event);
        diagnostics.bufferedEvents = preConsent.length;
        notify();
        return;
      }
      // Until storage is open (right after a grant) the event waits; then the profile updates
      // synchronously so a decide() right after track() already sees it.
      if (storageOpen) apply(event, bytes);
      else {
        // The page may be left before IndexedDB opens: the page-hide outbox has the event already.
        if (consent.analytics === 'granted') {
          stamp(event);
          sync?.add(event);
        }
        void openStorage().then(() => apply(event, bytes));
      }
    } catch (error) {
      diagnostics.invalidEvents++;
      report(error, 'event-invalid');
      notify();
    }
  }

  // ---- consent ----
  /** The purposes asked for that this site knows; the others are reported and skipped. */
  function known(purposes: readonly Purpose[]): Purpose[] {
    const unknown = purposes.filter((purpose) => !allPurposes.includes(purpose));
    if (unknown.length > 0) {
      reportError(new AttuneError('consent-invalid', `Unknown consent purpose(s) ${unknown.map((p) => JSON.stringify(p)).join(', ')} ignored: declare site purposes with the purposes option (known: ${allPurposes.join(', ')}).`));
    }
    return purposes.filter((purpose) => allPurposes.includes(purpose));
  }

  function setConsent(purposes: readonly Purpose[], status: 'granted' | 'denied'): void {
    consent = { ...consent };
    for (const purpose of purposes) consent[purpose] = status;
    granted = grantedPurposes(consent);
    storeConsent(env.storage, consent);
    notify();
  }

  async function grant(purposes: Purpose[] = allPurposes): Promise<void> {
    purposes = known(purposes);
    if (gpcBlocksAnalytics && purposes.includes('analytics')) {
      reportError(new AttuneError('consent-blocked', 'Analytics stays denied: the browser sends Global Privacy Control. Pass gpc: "ignore" only if your legal basis allows it.'));
      purposes = purposes.filter((purpose) => purpose !== 'analytics');
    }
    setConsent(purposes, 'granted');
    if (!anyGranted(consent)) return;
    // Known at once, so events tracked before IndexedDB has opened already carry it.
    if (!profile.identity().anonymousId) profile.setIdentity({ anonymousId: uuid() });
    await openStorage();
    const buffered = preConsent;
    preConsent = [];
    diagnostics.bufferedEvents = 0;
    for (const event of buffered) apply(event, measureEvent(event)); // Once, on grant: cheaper in bytes than storing sizes.
  }

  async function deny(purposes: Purpose[] = allPurposes): Promise<void> {
    purposes = known(purposes);
    setConsent(purposes, 'denied');
    // A site purpose alone changes nothing Attune keeps.
    if (!purposes.some((purpose) => (ALL_PURPOSES as readonly string[]).includes(purpose))) return;
    preConsent = [];
    diagnostics.bufferedEvents = 0;
    const db = database ? await database : undefined;
    if (!anyGranted(consent)) await erase(); // Withdrawal erases: no profile, queue or ids remain.
    else if (consent.analytics !== 'granted') await queue?.clear();
    else if (consent.personalization !== 'granted') {
      if (db) await db.clear('counters');
      profile.clearCounters();
    }
    notify();
  }

  const stopTcf =
    options.tcf === false
      ? () => {}
      : listenToTcf(options.tcf?.purposes ?? DEFAULT_TCF_PURPOSES, (granted, denied) => {
          void (async () => {
            if (denied.length > 0) await deny(denied);
            if (granted.length > 0) await grant(granted);
          })();
        });

  // ---- identity ----
  function setUserId(userId: unknown, what: string): string | undefined {
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) {
      diagnostics.invalidEvents++;
      reportError(new AttuneError('event-invalid', `${what} was ignored: the user id must be a non-empty string of at most 200 characters.`));
      return undefined;
    }
    if (!anyGranted(consent)) return undefined;
    const previous = profile.identity().userId ?? profile.identity().anonymousId ?? '';
    profile.setIdentity({ userId });
    void openStorage().then(() => (openDb ? storeUserId(openDb, userId) : undefined)).catch((error: unknown) => report(error, 'storage-unavailable'));
    return previous;
  }

  return {
    consent: { grant, deny, withdraw: () => deny(), get: () => consent, granted: (purpose) => consent[purpose] === 'granted' },
    erase: () => deny(),
    track: (name, properties) => record({ type: 'track', name, properties }),
    page: (properties) => record({ type: 'page', name: 'page_view', properties }),
    identify(userId, traits = {}) {
      if (setUserId(userId, 'identify()') === undefined) return;
      profile.mergeTraits(traits);
      record({ type: 'identify', name: 'identify', traits });
    },
    alias(userId) {
      const previousId = setUserId(userId, 'alias()');
      if (previousId !== undefined) record({ type: 'alias', name: 'alias', previousId });
    },
    decide(slot) {
      const nowMs = env.now();
      // Reading the locale and URL costs microseconds; refresh the context at most once a second.
      if (nowMs - contextReadAt > 1000) {
        context = readContext(nowMs);
        contextReadAt = nowMs;
      }
      return decideSlot(compiled, slot, { context, profile: profile.get() }, {
        personalizationAllowed: consent.personalization === 'granted',
        nowMs,
        onRuleError: (experienceId, error) =>
          reportError(new AttuneError('rule-invalid', `A rule of experience "${experienceId}" failed and was treated as false: ${errorMessage(error)}`, error)),
      });
    },
    flush: () => sync?.flush() ?? Promise.resolve(),
    ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => (snapshot ??= { consent, bundle: bundleState, profile: profile.get(), diagnostics: { ...diagnostics } }),
    destroy() {
      sync?.stop();
      stopTcf();
      listeners.clear();
    },
  };
}

export type { Decision };
