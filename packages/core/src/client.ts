import { loadBundleSource } from './bundle/bundle-source.js';
import { ALL_PURPOSES, anyGranted, grantedPurposes, readStoredConsent, storeConsent, type Purpose } from './consent/consent.js';
import { askedPurposes, sitePurposesOf } from './consent/purposes.js';
import { readRememberedId, rememberId } from './consent/remembered-id.js';
import { DEFAULT_TCF_PURPOSES, gpcEnabled, listenToTcf } from './consent/signals.js';
import { readContext, type PageContext } from './context/read-context.js';
import { validateBundle } from './bundle/validate-bundle.js';
import { createDecisions } from './client-decisions.js';
import { checkOptions } from './client-options.js';
import { createIdentity } from './client-identity.js';
import { compileBundle } from './engine/compile-bundle.js';
import type { Decision } from './engine/decide.js';
import type { ProfileSnapshot } from './profile/profile.js';
import type { CompiledBundle } from './engine/compile-bundle.js';
import { resolveEnvironment } from './environment.js';
import { AttuneError, asAttuneError, describeValue } from './errors.js';
import { buildEvent, stampIdentity, type EventInput } from './events/build-event.js';
import { measureEvent, type AttuneEvent } from './events/event.js';
import { createSessionTracker } from './events/session.js';
import { createUuidV7Generator } from './events/uuidv7.js';
import type { AttuneClient, AttuneDiagnostics, AttuneOptions, AttuneSnapshot } from './client-types.js';
import { notDuration, parseDuration } from './profile/duration.js';
import { DEFAULT_PROFILE_RULES, type ProfileEventInput } from './profile/profile-data.js';
import { createProfileState, emptyStoredProfile } from './profile/profile-state.js';
import { joinTraits } from './profile/profile-size.js';
import { createTabSync, type TabMessage } from './profile/tab-sync.js';
import { createUnsavedEvents } from './profile/unsaved-events.js';
import { deleteDatabase, hasIndexedDB, openDatabase, type AttuneDatabase } from './storage/database.js';
import { loadProfile } from './storage/profile-records.js';
import type { EventQueue } from './storage/event-queue.js';
import { createMemoryQueue, type MemoryQueue } from './storage/memory-queue.js';
import { createStoredQueue } from './storage/stored-queue.js';
import { createWriteBatch } from './storage/write-batch.js';
import { createSync } from './sync/create-sync.js';

export type { AttuneClient, AttuneDiagnostics, AttuneOptions, AttuneSnapshot, BundleStatus } from './client-types.js';

function warnToConsole(error: AttuneError): void {
  console.warn(`[attune] ${error.code}: ${error.message}`);
}

/** Creates the SDK client: the one place that wires consent, events, profile, bundle and sync. */
export function createAttune(given?: AttuneOptions): AttuneClient {
  // Reported where the page asked (when its onError is itself valid), else to the console.
  const earlyReport = typeof given?.onError === 'function' ? given.onError : warnToConsole;
  const options = checkOptions(given, earlyReport);
  const env = resolveEnvironment(options.environment);
  const reportError = options.onError ?? warnToConsole;
  /** Reports a failure: an AttuneError as it is, anything else as an AttuneError of `code`. */
  const report = (error: unknown, code: AttuneError['code']): void => reportError(asAttuneError(error, code));
  const databaseName = options.databaseName ?? 'attune';
  const uuid = createUuidV7Generator(env.now, env.randomBytes);
  const sessions = createSessionTracker(env, uuid);
  const gpcBlocksAnalytics = options.gpc !== 'ignore' && gpcEnabled();

  const sitePurposes = sitePurposesOf(options.purposes, reportError);
  const allPurposes: Purpose[] = [...ALL_PURPOSES, ...sitePurposes];
  let consent = readStoredConsent(env.storage, sitePurposes);
  if (gpcBlocksAnalytics) consent = { ...consent, analytics: 'denied' };
  const personalized = (): boolean => consent.personalization === 'granted';
  const analyzed = (): boolean => consent.analytics === 'granted';
  /** Purposes granted now, stamped on every event (kept ready: track() is a hot path). */
  let granted = grantedPurposes(consent);
  const rules = { ...DEFAULT_PROFILE_RULES, ...options.profile };
  const profile = createProfileState(rules, (error) =>
    reportError(new AttuneError('profile-invalid', 'The stored profile was unreadable: it starts afresh.', error)),
  );
  /** The anonymous id last written to localStorage (see remembered-id.ts). */
  let rememberedId = anyGranted(consent) ? readRememberedId(env.storage) : undefined;
  if (rememberedId) profile.update({ anonymousId: rememberedId });
  /** Remembers the anonymous id (made first if `create` and there is none). */
  function rememberAnonymousId(create?: boolean): void {
    if (create && !profile.identity().anonymousId) profile.update({ anonymousId: uuid() });
    const id = profile.identity().anonymousId ?? undefined;
    if (id !== rememberedId && anyGranted(consent)) rememberId(env.storage, (rememberedId = id));
  }
  const currentOrNewId = (): string => profile.identity().anonymousId ?? uuid();
  let compiled: CompiledBundle | undefined;
  let bundleState: AttuneSnapshot['bundle'] = { status: options.bundle || options.bundleUrl ? 'loading' : 'none' };
  const diagnostics: AttuneDiagnostics = { invalidEvents: 0, droppedEvents: 0, rejectedEvents: 0, bufferedEvents: 0 };
  let snapshot: AttuneSnapshot | undefined;
  let context: PageContext = readContext(env.now());
  let contextReadAt = env.now();
  const listeners = new Set<() => void>();
  /** Events tracked before any consent decision, kept in memory only (bufferBeforeConsent). */
  let preConsent: AttuneEvent[] = [];

  // The last profile events, saved when the page is hidden (see unsaved-events.ts).
  const unsaved = createUnsavedEvents(
    env.storage,
    () => profile.identity(),
    personalized,
  );

  // ---- decisions: state, page views, overrides, exposures, segment events ----
  const decisions = createDecisions({
    now: env.now,
    profile,
    bundle: () => compiled,
    data(nowMs) {
      // Reading the locale and URL costs microseconds; refresh the context at most once a second.
      if (nowMs - contextReadAt > 1000) {
        context = readContext(nowMs);
        contextReadAt = nowMs;
      }
      return { context, profile: profile.get(nowMs) };
    },
    personalization: personalized,
    analytics: analyzed,
    session: () => sessions.peek(),
    touchSession: () => sessions.touch(),
    track: (name, properties) => record({ type: 'track', name, properties }),
    persist(task) {
      void afterWrites(async (db) => {
        if (db && personalized()) await task(db);
      });
    },
    report: reportError,
  });

  // ---- identity (identify, alias, reset) and hydration ----
  const identity = createIdentity({
    env,
    profile,
    rules,
    sendRawIdentifiers: options.sendRawIdentifiers === true,
    consent: () => consent,
    storageOpen: () => storageOpen,
    persist: afterWrites,
    profileChanged: () => writes.profileChanged(),
    newId: uuid,
    clearSession: sessions.clear,
    postToTabs: (message) => tabs.post(message),
    record,
    invalidInput: () => void diagnostics.invalidEvents++,
    report: reportError,
    notify() {
      rememberAnonymousId(); // reset() made a new one
      notify();
    },
  });

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
      // Membership follows the profile; entering or leaving a segment is itself an event.
      decisions.checkSegments();
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
  const onDropped = (count: number, oldest: AttuneEvent): void => {
    diagnostics.droppedEvents += count;
    // Without a collector (no sync) nothing takes events either.
    const why = sync?.behind(Date.parse(oldest.timestamp)) === false ? `a burst over queue.maxEvents ${caps.maxEvents} / maxBytes ${caps.maxBytes}` : 'the collector is not taking events';
    reportError(new AttuneError('queue-overflow', `The outgoing queue is full (${why}): dropped the ${count} oldest event(s).`));
    notify();
  };
  const writes = createWriteBatch(
    () => openDb,
    () => profile.stored(),
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

  /**
   * Runs `task` with the open database (undefined when there is none) once storage has settled
   * and the pending writes are done; a failure is reported as storage-unavailable.
   */
  function afterWrites(task: (db: AttuneDatabase | undefined) => Promise<void>): Promise<void> {
    return (database ?? Promise.resolve())
      .then(() => writes.after(() => task(openDb)))
      .catch((error: unknown) => report(error, 'storage-unavailable'));
  }

  function memoryOnly(reason: string, cause?: unknown): undefined {
    reportError(new AttuneError('storage-unavailable', `${reason}: the profile and the outgoing queue live in memory for this page only.`, cause));
    rememberAnonymousId(true);
    queue = memoryQueue = createMemoryQueue(caps, onDropped);
    return undefined;
  }

  function openStorage(): Promise<void> {
    database ??= (async () => {
      if (!hasIndexedDB()) return memoryOnly('IndexedDB is not available');
      try {
        const db = await openDatabase(databaseName);
        // A first grant created the id in memory already (events may have left with it): keep it.
        const stored = await loadProfile(db, currentOrNewId);
        // identify() may have run while storage opened: its user id and traits win.
        const memory = profile.stored();
        const hydrated = memory.hydrated ?? stored.hydrated;
        profile.load({ ...stored, userId: memory.userId ?? stored.userId, traits: joinTraits(stored.traits, memory.traits, hydrated, reportError), hydrated }, env.now());
        rememberAnonymousId();
        await decisions.load(db);
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
      // What the last page queued but may not have written (see unsent-events.ts).
      const unsent = analyzed() ? sync?.unsent() : undefined;
      if (unsent?.length) void requeue(unsent).catch((error: unknown) => report(error, 'storage-unavailable'));
      // What the last page applied but may not have written (an event already applied counts once).
      if (personalized()) {
        for (const event of unsaved.take()) if (profile.apply(event)) writes.profileChanged(event.name);
      }
      notify();
      if (analyzed()) sync?.soon();
      if (personalized()) {
        identity.personalizationReady(options.profileUrl);
      }
    });
  }

  async function erase(): Promise<void> {
    writes.discard();
    identity.forget();
    sessions.clear();
    preConsent = [];
    const db = database ? await database : undefined;
    db?.close();
    database = undefined;
    openDb = undefined;
    queue = memoryQueue = undefined;
    storageOpen = false;
    profile.reset();
    decisions.clear();
    rememberId(env.storage, (rememberedId = undefined));
    unsaved.clear();
    if (hasIndexedDB()) await deleteDatabase(databaseName).catch((error: unknown) => report(error, 'storage-unavailable'));
  }

  // ---- other tabs of the site ----
  const tabs = createTabSync(`attune:${databaseName}`, (message: TabMessage) => {
    if (message.kind === 'consent') {
      const granting = ALL_PURPOSES.filter((purpose) => message.state[purpose] === 'granted' && consent[purpose] !== 'granted');
      const denying = ALL_PURPOSES.filter((purpose) => message.state[purpose] === 'denied' && consent[purpose] !== 'denied');
      void decided(granting, denying, false);
    } else if (!storageOpen || !personalized()) return;
    else if (message.kind === 'events') {
      // Written back too: if two tabs wrote at once, the last write holds both tabs' events.
      for (const event of message.events) if (profile.apply(event)) writes.profileChanged(event.name);
      notify();
    } else if (openDb) {
      const db = openDb;
      void writes.after(async () => {
        profile.load(await loadProfile(db, currentOrNewId));
        rememberAnonymousId();
        notify();
      });
    }
  });

  // ---- sync ----
  const sync =
    options.collectorUrl && env.fetch
      ? createSync(
          env,
          options as AttuneOptions & { collectorUrl: string },
          {
            queue: async () => {
              await database;
              return queue;
            },
            settled: () => writes.settled(),
            unwritten: () => (storageOpen ? writes.unwritten() : undefined),
            allowed: analyzed,
            report: reportError,
            onPoisoned: (count) => {
              diagnostics.rejectedEvents += count;
              notify();
            },
          },
        )
      : undefined;

  // ---- bundle ----
  const bundles = loadBundleSource({
    url: options.bundle === undefined ? options.bundleUrl : undefined,
    inline: options.bundle,
    key: options.bundleKey,
    signatureUrl: options.bundleSignatureUrl,
    signature: options.bundleSignature,
    // Rules read the live profile (counts, recent events) and the decision clock through the host.
    compile: (value) => compileBundle(validateBundle(value), decisions.host),
    fetch: env.fetch,
    now: env.now,
    // The cache lives in the client's database, so it is read and written only after a grant.
    database: () => (anyGranted(consent) ? openStorage().then(() => openDb) : Promise.resolve(undefined)),
    onServe(served) {
      compiled = served.compiled;
      bundleState = { status: 'ready', id: served.compiled.bundle.id, version: served.compiled.bundle.version, source: served.source };
      notify();
    },
    onProblem(error) {
      // A refused copy leaves the serving bundle in place; the snapshot says why it was refused.
      bundleState = compiled ? { ...bundleState, error } : { status: 'failed', error };
      reportError(error);
      notify();
    },
  });
  // Storage opening later (a grant on this page) notifies: the serving bundle is cached then.
  listeners.add(() => {
    if (openDb) void bundles.persist(openDb);
  });
  const bundleReady = bundles.ready;

  const storageReady = anyGranted(consent) ? openStorage() : Promise.resolve();
  const ready = Promise.all([bundleReady, storageReady]).then(() => undefined);

  /** The snapshot's profile with the journey stage the bundle's stage rules give (when it has any). */
  function withStage(snapshot: ProfileSnapshot): ProfileSnapshot {
    return compiled?.bundle.stages?.length ? { ...snapshot, stage: decisions.stage() } : snapshot;
  }

  // ---- events ----
  function stamp(event: AttuneEvent, nowMs = env.now()): void {
    stampIdentity(event, {
      anonymousId: profile.identity().anonymousId ?? '',
      userId: profile.identity().userId,
      sessionId: sessions.touch(nowMs),
      consent: granted,
      experiments: decisions.experiments(),
    });
  }

  /**
   * `timestampMs` is the time `event.timestamp` was made from and `nowMs` the clock, when at hand
   * (track() has both: parsing the timestamp back and reading Date.now again cost more in Chromium
   * than the rest of the profile update).
   */
  function apply(event: AttuneEvent, bytes: number, timestampMs = Date.parse(event.timestamp), nowMs = env.now()): void {
    if (!anyGranted(consent)) return; // Withdrawn while the event waited.
    stamp(event, nowMs);
    // identify / alias change who the visitor is, not what they did: not profile events.
    if (personalized() && (event.type === 'track' || event.type === 'page')) {
      const input: ProfileEventInput = { id: event.id, name: event.name, timestampMs, sessionId: event.sessionId, properties: event.properties };
      if (profile.apply(input)) {
        unsaved.add(input);
        writes.profileChanged(event.name);
        tabs.event(input);
      }
    }
    if (analyzed()) enqueue(event, bytes);
    notify();
  }

  /** Queues again the events an earlier page kept when it was hidden, unless their write did commit. */
  async function requeue(events: AttuneEvent[]): Promise<void> {
    const queued = new Set((await queue!.peek(caps.maxEvents)).map((event) => event.id));
    for (const event of events) {
      // Once each (a page hidden twice saved it twice), and not if its write did commit.
      if (queued.has(event.id)) continue;
      queued.add(event.id);
      try {
        enqueue(event, measureEvent(event));
      } catch {
        // Not an event any more (changed by hand): left out.
      }
    }
  }

  /** Queues an event for the collector: IndexedDB (or memory), and the page-hide send. */
  function enqueue(event: AttuneEvent, bytes: number): void {
    if (openDb) writes.append(event, bytes);
    else memoryQueue?.append(event, bytes);
    sync?.add(event);
  }

  function record(input: EventInput): void {
    try {
      const undecided = consent.analytics === 'unknown' && consent.personalization === 'unknown';
      const buffering = undecided && (options.bufferBeforeConsent ?? 0) > 0;
      if (!anyGranted(consent) && !buffering) return; // Nothing is kept or sent before consent.
      const nowMs = env.now();
      if (input.type === 'page') {
        context = readContext(nowMs);
        contextReadAt = nowMs;
        decisions.pageViewStarted();
      }
      const event = buildEvent(input, uuid(nowMs), nowMs, context);
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
      // The time toISOString() wrote (whole ms, +0 for -0), i.e. Date.parse(event.timestamp).
      if (storageOpen) apply(event, bytes, Math.trunc(nowMs) + 0, nowMs);
      else {
        // The page may be left before IndexedDB opens: the page-hide outbox has the event already.
        if (analyzed()) {
          stamp(event);
          sync?.add(event);
        }
        // It waits for the start-up bundle too (the cached copy, never the network), to carry the
        // visitor's stored assignments (experiments).
        void bundles.started.then(openStorage).then(() => apply(event, bytes));
      }
    } catch (error) {
      diagnostics.invalidEvents++;
      report(error, 'event-invalid');
      notify();
    }
  }

  // ---- consent ----
  const known = (asked: unknown): Purpose[] => askedPurposes(asked, allPurposes, reportError);

  function setConsent(purposes: readonly Purpose[], status: 'granted' | 'denied', broadcast: boolean): void {
    consent = { ...consent };
    for (const purpose of purposes) consent[purpose] = status;
    granted = grantedPurposes(consent);
    storeConsent(env.storage, consent);
    if (broadcast) tabs.post({ kind: 'consent', state: consent });
    notify();
  }

  async function grant(asked?: unknown, broadcast = true): Promise<void> {
    let purposes = known(asked);
    if (gpcBlocksAnalytics && purposes.includes('analytics')) {
      reportError(new AttuneError('consent-blocked', 'Analytics stays denied: the browser sends Global Privacy Control. Pass gpc: "ignore" only if your legal basis allows it.'));
      purposes = purposes.filter((purpose) => purpose !== 'analytics');
    }
    setConsent(purposes, 'granted', broadcast);
    if (!anyGranted(consent)) return;
    // Known at once, so events tracked before IndexedDB has opened already carry it.
    rememberAnonymousId(true);
    await openStorage();
    // Storage may have opened earlier for another purpose: what waited for personalization applies now.
    if (personalized() && storageOpen) identity.personalizationReady(options.profileUrl);
    const buffered = preConsent;
    preConsent = [];
    diagnostics.bufferedEvents = 0;
    for (const event of buffered) apply(event, measureEvent(event)); // Once, on grant: cheaper in bytes than storing sizes.
  }

  async function deny(asked?: unknown, broadcast = true): Promise<void> {
    const purposes = known(asked);
    setConsent(purposes, 'denied', broadcast);
    // A site purpose alone changes nothing Attune keeps.
    if (!purposes.some((purpose) => (ALL_PURPOSES as readonly string[]).includes(purpose))) return;
    preConsent = [];
    diagnostics.bufferedEvents = 0;
    if (!analyzed()) sync?.forgetUnsent();
    const db = database ? await database : undefined;
    if (!anyGranted(consent)) await erase(); // Withdrawal erases: no profile, queue or ids remain.
    else if (!analyzed()) await queue?.clear();
    else if (!personalized()) {
      identity.forget();
      unsaved.clear();
      const { anonymousId, userId } = profile.stored();
      profile.load({ ...emptyStoredProfile(), anonymousId, userId });
      decisions.clear();
      if (db) await Promise.all([db.clear('aggregates'), db.clear('profile'), db.clear('decisions')]);
    }
    notify();
  }

  /** A decision made elsewhere (the CMP, another tab): withdrawals first, then grants. */
  async function decided(granting: Purpose[], denying: Purpose[], broadcast?: boolean): Promise<void> {
    if (denying.length > 0) await deny(denying, broadcast);
    if (granting.length > 0) await grant(granting, broadcast);
  }

  const stopTcf =
    options.tcf === false
      ? () => {}
      : listenToTcf(options.tcf?.purposes ?? DEFAULT_TCF_PURPOSES, (granted, denied) => void decided(granted, denied));

  return {
    consent: { grant: (purposes) => grant(purposes), deny: (purposes) => deny(purposes), withdraw: () => deny(), get: () => consent, granted: (purpose) => consent[purpose] === 'granted' },
    erase: () => deny(),
    track: (name, properties) => record({ type: 'track', name, properties }),
    page: (properties) => record({ type: 'page', name: 'page_view', properties }),
    // Closures that do not use `this`: handed out as they are.
    identify: identity.identify,
    alias: identity.alias,
    reset: identity.reset,
    hydrate: identity.hydrate,
    count(name, window) {
      const windowMs = window === undefined ? undefined : parseDuration(window);
      if (window !== undefined && windowMs === undefined) {
        reportError(new AttuneError('profile-invalid', `count(): ${notDuration(window)}`));
        return 0;
      }
      return personalized() ? profile.count(name, windowMs, env.now()) : 0;
    },
    decide: decisions.decide,
    decideAll: decisions.decideAll,
    shown: decisions.shown,
    force: (experimentId, variantId) => {
      if (typeof experimentId !== 'string' || !(typeof variantId === 'string' || variantId === null || variantId === undefined)) {
        reportError(new AttuneError('argument-invalid', `force() was ignored: it takes two strings (variant null to clear), not ${describeValue(experimentId)}, ${describeValue(variantId)}.`));
        return;
      }
      decisions.force(experimentId, variantId);
      notify();
    },
    flush: () => sync?.flush() ?? Promise.resolve(),
    ready,
    subscribe(listener) {
      if (typeof listener !== 'function') {
        reportError(new AttuneError('argument-invalid', `subscribe() was ignored: it takes a function, not ${describeValue(listener)}.`));
        return () => false;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => (snapshot ??= { consent, bundle: bundleState, profile: withStage(profile.get(env.now())), diagnostics: { ...diagnostics } }),
    destroy() {
      unsaved.stop();
      sync?.stop();
      stopTcf();
      tabs.close();
      listeners.clear();
    },
  };
}

export type { Decision };
