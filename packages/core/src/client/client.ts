import type { CompiledBundle, Decision } from '../decide/types.js';
import { loadBundleSource } from '../bundle/bundle-source.js';
import { ALL_PURPOSES, anyGranted, grantedPurposes, readStoredConsent, storeConsent, type BuiltInPurpose, type Purpose } from '../consent/consent.js';
import { askedPurposes, sitePurposesOf } from '../consent/purposes.js';
import { readRememberedId, rememberId } from '../consent/remembered-id.js';
import { consentModeOnPage, gpcEnabled } from '../consent/signals.js';
import { createWithdrawals, type WithdrawnSince } from '../consent/withdrawals.js';
import { readContext as readPageContext, type PageContext } from '../context/read-context.js';
import { locationFromPage, locationOf } from '../context/location.js';
import { checkSteps } from '../bundle/check-steps.js';
import { createDecisions } from './decisions.js';
import { checkOptions } from './options.js';
import { createIdentity } from './identity.js';
import { runInSlices } from '../bundle/run-in-slices.js';
import { lazyReader, lazyRecommend, lazyTriggers, partsFor, preload } from './lazy-parts.js';
import { partsHint } from './parts-hint.js';
import { loadConsentMode, loadExperiments, loadModels, loadOperators, loadSync, loadTcf, loadVerifier } from './load-parts.js';
import type { ProfileSnapshot } from '../profile/profile.js';
import { quietStorage, resolveEnvironment } from '../environment.js';
import { AttuneError, asAttuneError, describeValue, errorMessage } from '../errors.js';
import { buildEvent, stampIdentity, type EventInput } from '../events/build-event.js';
import { measureEvent, type AttuneEvent } from '../events/event.js';
import { createSessionTracker } from '../events/session.js';
import { createUuidV7Generator } from '../events/uuidv7.js';
import type { AttuneClient, AttuneDiagnostics, AttuneOptions, AttuneSnapshot } from './types.js';
import { notDuration, parseDuration } from '../profile/duration.js';
import { DEFAULT_PROFILE_RULES, type ProfileEventInput } from '../profile/profile-data.js';
import { createProfileState, emptyStoredProfile } from '../profile/profile-state.js';
import { joinTraits } from '../profile/profile-size.js';
import { createTabSync, type TabMessage } from '../profile/tab-sync.js';
import { createUnsavedEvents } from '../profile/unsaved-events.js';
import { createConnection } from '../storage/connection.js';
import { erasurePending, markErasure } from '../storage/pending-erasure.js';
import { createStoredQueue } from '../storage/stored-queue.js';
import { deleteDatabase, hasIndexedDB, type AttuneDatabase } from '../storage/database.js';
import { loadProfile, saveProfile } from '../storage/profile-records.js';
import { lazySync } from '../sync/lazy-sync.js';

export type { AttuneClient, AttuneDiagnostics, AttuneInspection, AttuneOptions, AttuneSnapshot, BundleStatus } from './types.js';

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
  env.storage = quietStorage(env.storage, (error) =>
    reportError(new AttuneError('storage-unavailable', 'localStorage refused a write: consent is not remembered after this page.', error)),
  );
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
  /** Said once a page: a stored profile found unreadable as it loads, and again as it is used, is one problem. */
  let unreadableTold = false;
  const unreadableProfile = (error?: unknown): void => {
    if (!unreadableTold) reportError(new AttuneError('profile-invalid', 'The stored profile was unreadable: it starts afresh.', error));
    unreadableTold = true;
  };
  const profile = createProfileState(rules, unreadableProfile);
  /**
   * Events tracked (analytics granted) before storage opened, not applied yet: the page may be
   * hidden after storage opened and before they are written (see unsent-events.ts).
   */
  const beforeStorage = new Set<AttuneEvent>();

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
  const bundleUrl = options.bundle === undefined ? options.bundleUrl : undefined;
  // A returning visitor's bundle needing the models, operators or experiments part: it loads while IndexedDB is read (see parts-hint.ts).
  const hint = partsHint(env.storage, bundleUrl, () => anyGranted(consent));
  if (hint.has('models')) preload(loadModels);
  if (hint.has('operators')) preload(loadOperators);
  if (hint.has('experiments')) preload(loadExperiments);
  let bundleState: AttuneSnapshot['bundle'] = { status: options.bundle || options.bundleUrl ? 'loading' : 'none' };
  const diagnostics: AttuneDiagnostics = { invalidEvents: 0, droppedEvents: 0, rejectedEvents: 0, bufferedEvents: 0 };
  let snapshot: AttuneSnapshot | undefined;
  // The site's location hint: given, or the page's meta tags (read with the context: they may come after the tag).
  const toldLocation = new Set<string>();
  const warnLocation = (message: string): void => {
    if (!toldLocation.has(message)) reportError(new AttuneError('argument-invalid', message));
    toldLocation.add(message);
  };
  const givenLocation = options.location ? locationOf(options.location, warnLocation) : undefined;
  const readContext = (nowMs: number): PageContext => readPageContext(nowMs, givenLocation ?? locationFromPage(warnLocation));
  let context: PageContext = readContext(env.now());
  let contextReadAt = env.now();
  const listeners = new Set<() => void>();
  /** Events tracked before any consent decision, kept in memory only (bufferBeforeConsent). */
  let preConsent: AttuneEvent[] = [];
  const withdrawals = createWithdrawals();

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
    mark: () => withdrawals.mark(consent),
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
      triggers.check();
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

  // ---- storage: opened only after a grant, erased on withdrawal (see storage/connection.ts) ----
  /** Set once storage is open (or fell back to memory): events then apply synchronously. */
  let storageOpen = false;
  /** Withdrawals since storage began to open (what it loads is dropped for a purpose withdrawn meanwhile). */
  let openedAt: WithdrawnSince = () => false;
  const caps = { maxEvents: options.queue?.maxEvents ?? 1000, maxBytes: options.queue?.maxBytes ?? 1_000_000 };
  const onDropped = (count: number, oldest: AttuneEvent): void => {
    diagnostics.droppedEvents += count;
    // Without a collector (no sync) nothing takes events either.
    const why = sync?.behind(Date.parse(oldest.timestamp)) === false ? `a burst over queue.maxEvents ${caps.maxEvents} / maxBytes ${caps.maxBytes}` : 'the collector is not taking events';
    reportError(new AttuneError('queue-overflow', `The outgoing queue is full (${why}): dropped the ${count} oldest event(s).`));
    notify();
  };
  const storage = createConnection(databaseName, caps, {
    profile: profile.stored,
    async load(db, stale) {
      // A first grant created the id in memory already (events may have left with it): keep it.
      // Both read at once: start-up waits for them (see decisionPending).
      const decisionsRead = decisions.read(db);
      decisionsRead.catch(() => undefined); // Not applied if erased meanwhile: nothing to report then.
      let stored = await loadProfile(db, currentOrNewId, unreadableProfile);
      // Erased meanwhile, here or by another tab (which this one has not heard of yet): the erasure
      // deletes it, and its id must not be remembered again (it would make the database again).
      if (stale() || erasurePending(env.storage)) return;
      // Personalization withdrawn meanwhile: the stored profile is being cleared; only the ids stay.
      const dropped = openedAt('personalization');
      if (dropped) stored = { ...emptyStoredProfile(), anonymousId: stored.anonymousId, userId: stored.userId };
      // identify() may have run while storage opened: its user id and traits win.
      const memory = profile.stored();
      if (memory.userId && stored.userId && memory.userId !== stored.userId) {
        // Another user signed in: the stored one's profile is put aside for their next sign-in.
        await saveProfile(db, stored, env.now());
        stored = { ...emptyStoredProfile(), anonymousId: stored.anonymousId };
      }
      const hydrated = memory.hydrated ?? stored.hydrated;
      profile.load({ ...stored, userId: memory.userId ?? stored.userId, traits: joinTraits(stored.traits, memory.traits, hydrated, reportError), hydrated }, env.now());
      rememberAnonymousId();
      if (!dropped) (await decisionsRead)();
    },
    restore() {
      decisions.save();
      notify(); // The bundle is cached again.
    },
    unsent: () => sync?.pending() ?? [],
    memory: () => rememberAnonymousId(true),
    // Made again only for the visitor this page knows: another tab that withdrew consent (or
    // started a new visitor) removed or replaced the remembered id before deleting the database.
    ours: () => readRememberedId(env.storage) === profile.identity().anonymousId,
    report: reportError,
    dropped: onDropped,
  });
  const writes = storage.writes;

  /**
   * Runs `task` with the open database (undefined when there is none, or when `purpose` was
   * withdrawn meanwhile) once storage has settled and the pending writes are done; a failure is
   * reported as storage-unavailable.
   */
  function afterWrites(task: (db: AttuneDatabase | undefined) => Promise<void>, purpose: BuiltInPurpose = 'personalization'): Promise<void> {
    const withdrawn = withdrawals.mark();
    const run = () => writes.after(() => task(withdrawn(purpose) ? undefined : storage.db()));
    // Handed over at once when storage is open: before the writes of what comes next.
    return (storageOpen ? run() : Promise.resolve(storage.ready()).then(run)).catch((error: unknown) => report(error, 'storage-unavailable'));
  }

  /** The events an earlier page kept being queued again (see requeue), while storage opens. */
  let requeuing: Promise<void> | undefined;

  function openStorage(): Promise<void> {
    if (!storage.ready()) {
      if (!anyGranted(consent)) return Promise.resolve(); // Withdrawn while an event waited.
      openedAt = withdrawals.mark();
      // After the erasures under way: a new grant must not reopen the database being deleted.
      storage.open(withdrawals.erased());
    }
    const opening = storage.ready();
    return opening!.then(() => {
      if (storageOpen || storage.ready() !== opening) return;
      storageOpen = true;
      // What the last page queued but may not have written (see unsent-events.ts).
      const unsent = analyzed() ? sync?.unsent() : undefined;
      // Waited for (by ready, grant()): a flush right after sends them too.
      const requeued = (requeuing = unsent?.length ? requeue(unsent).catch((error: unknown) => report(error, 'storage-unavailable')) : undefined);
      // What the last page applied but may not have written (an event already applied counts once).
      if (personalized()) {
        for (const event of unsaved.take()) if (profile.apply(event)) writes.profileChanged(event.name);
      }
      notify();
      if (analyzed()) sync?.soon();
      if (personalized()) {
        identity.personalizationReady(options.profileUrl);
      }
      return requeued;
    });
  }

  /**
   * Forgets everything at once (a grant right after starts a new visitor) and lets go of the
   * database, after the erasures already under way: the tab that decided (`here`) deletes it. A
   * tab told of it only `clear`s what it wrote itself before it knew: the database may already
   * be the one a new grant opened in the other tab.
   */
  function erase(here: boolean, clear: (db: AttuneDatabase) => Promise<void>): Promise<void> {
    const old = storage.detach();
    storageOpen = false;
    sessions.clear();
    profile.reset();
    rememberId(env.storage, (rememberedId = undefined));
    hint.forget();
    if (here) markErasure(env.storage, true);
    return withdrawals.erase(async () => {
      const db = await old;
      if (db && !here) await writes.after(() => clear(db)).catch(() => undefined); // Closed by the erasure.
      db?.close();
      if (here) await deleteStorage();
    });
  }

  /** Deletes the database, then the mark of a pending erasure (see pending-erasure.ts). */
  async function deleteStorage(): Promise<void> {
    if (!hasIndexedDB()) return;
    await deleteDatabase(databaseName).then(() => markErasure(env.storage, false), (error: unknown) => report(error, 'storage-unavailable'));
  }
  // A withdrawal on an earlier page whose deletion did not finish: done before anything opens it.
  if (erasurePending(env.storage)) void withdrawals.erase(deleteStorage);

  // ---- other tabs of the site ----
  const tabs = createTabSync(`attune:${databaseName}`, (message: TabMessage) => {
    if (message.kind === 'consent') {
      const granting = ALL_PURPOSES.filter((purpose) => message.state[purpose] === 'granted' && consent[purpose] !== 'granted');
      const denying = ALL_PURPOSES.filter((purpose) => message.state[purpose] === 'denied' && consent[purpose] !== 'denied');
      decided(granting, denying, false);
    } else if (!storageOpen || !personalized()) return;
    else if (message.kind === 'events') {
      // Written back too: if two tabs wrote at once, the last write holds both tabs' events.
      for (const event of message.events) if (profile.apply(event)) writes.profileChanged(event.name);
      notify();
    } else {
      // Not if personalization is withdrawn before it runs: the stored profile is being cleared.
      void afterWrites(async (db) => {
        if (!db) return;
        const stored = await loadProfile(db, currentOrNewId, unreadableProfile);
        if (erasurePending(env.storage)) return; // Another tab withdrew meanwhile (see load).
        profile.load(stored);
        rememberAnonymousId();
        notify();
      });
    }
  });

  // Writes and posts wait a little to be shared by the next events (see write-batch.ts): a page
  // being hidden may not get another chance, so they go at once.
  const writeNow = (): void => {
    writes.now();
    tabs.flush();
  };
  const onHidden = (): void => void (globalThis.document?.visibilityState === 'hidden' && writeNow());
  globalThis.document?.addEventListener?.('visibilitychange', onHidden);
  globalThis.addEventListener?.('pagehide', writeNow);

  // ---- sync: delivery is a part loaded from the start (see lazy-sync.ts) ----
  const sync =
    options.collectorUrl && env.fetch
      ? lazySync(
          env,
          options as AttuneOptions & { collectorUrl: string },
          {
            queue: async () => {
              const queue = storage.queue();
              // Opening: what the last page kept (see unsent-events.ts) is queued before a flush
              // reads the queue (openStorage's handler, set when opening began, has run by then).
              await storage.ready(); // Never rejects (a failure carries on in memory).
              await requeuing;
              return queue;
            },
            settled: () => writes.settled(),
            unwritten: () => (storageOpen ? [...beforeStorage, ...writes.unwritten()] : undefined),
            allowed: analyzed,
            report: reportError,
            onPoisoned: (count) => {
              diagnostics.rejectedEvents += count;
              notify();
            },
          },
          loadSync,
        )
      : undefined;

  // ---- bundle ----
  const bundles = loadBundleSource({
    url: bundleUrl,
    inline: options.bundle,
    key: options.bundleKey,
    loadVerifier,
    signatureUrl: options.bundleSignatureUrl,
    signature: options.bundleSignature,
    maxBytes: options.maxBundleBytes,
    // Rules read the live profile (counts, recent events) and the decision clock through the host.
    // Validated, then compiled in slices, in tasks of their own: a large bundle never holds the main thread long.
    // Code only some bundles need is loaded first (see load-parts.ts); a part that fails to load
    // fails only the rules that need it.
    compile: async (value) => runInSlices(checkSteps(value, decisions.host, await partsFor(value, report)), env.now),
    fetch: env.fetch,
    now: env.now,
    // The cache lives in the client's database, so it is read and written only after a grant; it
    // is read while the profile loads.
    database: async () => {
      if (!anyGranted(consent)) return undefined;
      const loading = openStorage();
      return (await storage.opened()) ?? loading.then(storage.db);
    },
    onServe(served) {
      compiled = served.compiled;
      bundleState = { status: 'ready', id: served.compiled.bundle.id, version: served.compiled.bundle.version, source: served.source };
      hint.update(compiled);
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
    const db = storage.db();
    if (db) void bundles.persist(db);
    hint.update(compiled);
  });
  const bundleReady = bundles.ready;

  const storageReady = anyGranted(consent) ? openStorage() : Promise.resolve();
  /** Whether `ready` has resolved: decisions before it may still change (see AttuneSnapshot.ready). */
  let settled = false;
  /** Page views started on this page (AttuneSnapshot.pageView). */
  let pageViews = 0;
  const ready = Promise.all([bundleReady, storageReady]).then(() => {
    settled = true;
    notify();
  });

  // ---- recommendations and journey triggers: parts loaded when first needed (see lazy-parts.ts) ----
  const recommend = lazyRecommend({
    bundle: () => compiled,
    bundleLoading: () => bundleState.status === 'loading',
    fetch: env.fetch,
    bundleUrl: options.bundleUrl,
    profile: () => (personalized() ? profile.get(env.now()) : undefined),
    context: () => context,
    report: reportError,
    notify,
  });
  const triggers = lazyTriggers(
    () => compiled,
    () => storageOpen && personalized() && decisions.loaded(),
    (bundle) => ({
      active: () => storageOpen && personalized() && compiled === bundle,
      host: {
        now: env.now,
        sessionId: () => sessions.peek(),
        recent: () => decisions.host.recent(),
        count: (name, windowMs) => profile.count(name, windowMs, env.now()),
        inSegment: (id) => decisions.segments().includes(id) || profile.get(env.now()).segments.includes(id),
      },
      memory: decisions.triggerMemory,
      remember: decisions.rememberTriggers,
      track: (name, properties) => record({ type: 'track', name, properties }),
      setTrait: (name, value) => identity.hydrate({ traits: { [name]: value } }),
      report: (message) => reportError(new AttuneError('bundle-invalid', message)),
      changed: notify,
    }),
    (error) => report(error, 'bundle-invalid'),
  );

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
  function apply(event: AttuneEvent, bytes: number, timestampMs = Date.parse(event.timestamp), nowMs = env.now(), withdrawn?: WithdrawnSince): void {
    // A purpose withdrawn while the event waited is final for it, even if granted again since (and
    // one granted only since does not cover it).
    const profiled = personalized() && !withdrawn?.('personalization');
    const sent = analyzed() && !withdrawn?.('analytics');
    if (!profiled && !sent) return;
    stamp(event, nowMs);
    // identify / alias change who the visitor is, not what they did: not profile events.
    if (profiled && (event.type === 'track' || event.type === 'page')) {
      const input: ProfileEventInput = { id: event.id, name: event.name, timestampMs, sessionId: event.sessionId, properties: event.properties };
      if (profile.apply(input)) {
        unsaved.add(input);
        writes.profileChanged(event.name);
        tabs.event(input);
      }
    }
    if (sent) enqueue(event, bytes);
    notify();
  }

  /** Queues again the events an earlier page kept when it was hidden, unless their write did commit. */
  async function requeue(events: AttuneEvent[]): Promise<void> {
    const withdrawn = withdrawals.mark();
    const queued = new Set((await storage.queue()!.peek(caps.maxEvents)).map((event) => event.id));
    // Analytics withdrawn while the queue was read: what the earlier page kept is dropped, as the
    // queue was (a grant since does not bring it back).
    if (withdrawn('analytics')) return;
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
    storage.append(event, bytes);
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
        pageViews++;
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
          beforeStorage.add(event);
        }
        // It waits for the start-up bundle too (the cached copy, never the network), to carry the
        // visitor's stored assignments (experiments).
        const withdrawn = withdrawals.mark(consent);
        void bundles.started.then(openStorage).then(() => {
          beforeStorage.delete(event);
          apply(event, bytes, undefined, undefined, withdrawn);
        });
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
    const state = consent;
    // Told after the erasures under way: a tab told of a new grant must not reopen the database
    // before it is deleted (the messages keep their order).
    if (broadcast) withdrawals.afterErasures(() => tabs.post({ kind: 'consent', state }));
    notify();
  }

  /*
   * Consent changes apply in call order, even when not awaited: each takes effect in memory at
   * once (the events tracked after it are collected under it), and what it leaves to storage is
   * ordered by the write batch and the erasures (see withdrawals.ts). `here`: decided in this tab
   * (told to the others, which only let go of what they hold: this tab clears the shared storage).
   */
  function grant(asked?: unknown, here = true): Promise<void> {
    let purposes = known(asked);
    if (gpcBlocksAnalytics && purposes.includes('analytics')) {
      reportError(new AttuneError('consent-blocked', 'Analytics stays denied: the browser sends Global Privacy Control. Pass gpc: "ignore" only if your legal basis allows it.'));
      purposes = purposes.filter((purpose) => purpose !== 'analytics');
    }
    setConsent(purposes, 'granted', here);
    if (!anyGranted(consent)) return Promise.resolve();
    // Known at once, so events tracked before IndexedDB has opened already carry it.
    rememberAnonymousId(true);
    return openStorage().then(() => {
      // Storage may have opened earlier for another purpose: what waited for personalization applies now.
      if (personalized() && storageOpen) identity.personalizationReady(options.profileUrl);
      const buffered = preConsent;
      preConsent = [];
      diagnostics.bufferedEvents = 0;
      for (const event of buffered) apply(event, measureEvent(event)); // Once, on grant: cheaper in bytes than storing sizes.
    });
  }

  /** A withdrawal is final for everything collected before it: every queue and buffer lets go of it now. */
  function deny(asked?: unknown, here = true): Promise<void> {
    const purposes = known(asked);
    setConsent(purposes, 'denied', here);
    const withdrawn = ALL_PURPOSES.filter((purpose) => purposes.includes(purpose));
    // A site purpose alone changes nothing Attune keeps.
    if (withdrawn.length === 0) return Promise.resolve();
    withdrawals.count(withdrawn);
    preConsent = [];
    diagnostics.bufferedEvents = 0;
    const erasing = !anyGranted(consent);
    const events = erasing || withdrawn.includes('analytics');
    const personal = erasing || withdrawn.includes('personalization');
    const unsent = (events && sync?.withdraw()) || [];
    if (events) {
      storage.discard();
      sync?.forgetUnsent();
      beforeStorage.clear();
    }
    if (personal) {
      identity.forget();
      unsaved.clear();
      tabs.discard();
      const { anonymousId, userId } = profile.stored();
      profile.load({ ...emptyStoredProfile(), anonymousId, userId });
      decisions.clear();
    }
    /**
     * The shared storage: the tab that decided clears the queue; a tab told of it removes its own
     * events, which may have been written after that (not the other tab's events of a new grant).
     * Every tab clears the profile: one told late may have written it after the other cleared it.
     */
    const clear = async (db: AttuneDatabase | undefined): Promise<void> => {
      if (!db) return;
      if (events) await (here ? createStoredQueue(db).clear() : createStoredQueue(db).remove(unsent));
      if (personal) await Promise.all([db.clear('aggregates'), db.clear('profile'), db.clear('decisions')]);
    };
    // Withdrawal erases: no profile, queue or ids remain.
    const done = erasing ? erase(here, clear) : afterWrites(clear, events ? 'analytics' : 'personalization');
    notify();
    return done;
  }

  /** A decision made elsewhere (the CMP, Consent Mode, another tab): withdrawals first, then grants. */
  function decided(granting: Purpose[], denying: Purpose[], here?: boolean): void {
    if (denying.length > 0) void deny(denying, here);
    if (granting.length > 0) void grant(granting, here);
  }

  // The consent the page already keeps: its IAB TCF CMP, its Google Consent Mode (each a part, loaded only when the page has it).
  const readerFailed = (reader: string) => (error: unknown) =>
    reportError(new AttuneError('consent-invalid', `The ${reader} could not be loaded (${errorMessage(error)}): its signals are not read on this page; grant and deny still work.`, error));
  const { tcf, consentMode } = options;
  const stopTcf = lazyReader(tcf !== false && typeof (globalThis as { __tcfapi?: unknown }).__tcfapi === 'function', loadTcf, (listen) => listen((tcf as Exclude<typeof tcf, false>)?.purposes, decided), readerFailed('IAB TCF listener'));
  const stopConsentMode = lazyReader(consentMode !== false && consentModeOnPage(), loadConsentMode, (listen) => listen((consentMode as Exclude<typeof consentMode, false>)?.purposes, decided, () => consent, report), readerFailed('Google Consent Mode reader'));

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
    recommend,
    shown: decisions.shown,
    force: (experimentId, variantId) => {
      if (typeof experimentId !== 'string' || !(typeof variantId === 'string' || variantId === null || variantId === undefined)) {
        reportError(new AttuneError('argument-invalid', `force() was ignored: it takes two strings (variant null to clear), not ${describeValue(experimentId)}, ${describeValue(variantId)}.`));
        return;
      }
      decisions.force(experimentId, variantId);
      notify();
    },
    inspect: () => ({
      bundle: compiled?.bundle,
      segments: personalized() ? decisions.segments() : [],
      assignments: decisions.experiments() ?? {},
      forced: decisions.forced(),
    }),
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
    getSnapshot: () => (snapshot ??= { consent, ready: settled, pageView: pageViews, bundle: bundleState, profile: withStage(profile.get(env.now())), diagnostics: { ...diagnostics } }),
    destroy() {
      triggers.stop();
      unsaved.stop();
      globalThis.document?.removeEventListener?.('visibilitychange', onHidden);
      globalThis.removeEventListener?.('pagehide', writeNow);
      writeNow(); // What it was given is written before it lets go.
      sync?.stop();
      stopTcf();
      stopConsentMode();
      // Consent changes still waiting for an erasure are told to the other tabs once it is done.
      tabs.mute();
      withdrawals.afterErasures(tabs.close);
      listeners.clear();
      // Another tab deleting or upgrading the database: a destroyed client lets go and never opens it again.
      storage.stop();
    },
  };
}

export type { Decision };
