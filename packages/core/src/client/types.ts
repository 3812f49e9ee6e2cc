import type { RecommendCallOptions, RecommendationList } from './recommendations.js';
import type { Decision } from '../decide/types.js';
import type { BundleOrigin } from '../bundle/bundle-source.js';
import type { Bundle } from '../bundle/schema.js';
import type { ConsentState, Purpose } from '../consent/consent.js';
import type { AttuneEnvironment } from '../environment.js';
import type { AttuneError } from '../errors.js';
import type { ProfileSnapshot } from '../profile/profile.js';
import type { ProfileRules } from '../profile/profile-data.js';
import type { CollectorAdapter } from '../sync/adapters/types.js';

export interface AttuneOptions {
  /** Where events are POSTed. Without it events stay on the device. */
  collectorUrl?: string;
  /** Turns event batches into requests for your collector; default: the JSON batch format. */
  adapter?: CollectorAdapter;
  /** Write key for collectors that want one (Segment: Basic auth). */
  writeKey?: string;
  /** Extra request headers (custom auth, tenant). */
  headers?: Record<string, string>;
  /**
   * URL of the rule bundle (JSON). The last good bundle is cached in IndexedDB once consent is
   * granted: later pages start from it at once and refresh it in the background (If-None-Match).
   */
  bundleUrl?: string;
  /**
   * A bundle given inline instead of `bundleUrl`: an object, or its exact JSON text (required
   * with `bundleKey`, since the signature covers the exact bytes). Inline bundles are not cached.
   */
  bundle?: object | string;
  /**
   * Public key (ECDSA P-256 JWK, as printed by `attune keygen`; an object or its JSON text). When
   * set, a bundle is used only if its signature checks out with this key and its `version` is not
   * lower than the one already used on this device; otherwise it is rejected as a whole (codes
   * `bundle-signature-invalid`, `bundle-rollback`) and the last good bundle keeps serving.
   * Needs WebCrypto, so an HTTPS page (or localhost).
   */
  bundleKey?: JsonWebKey | string;
  /** Where the detached signature of `bundleUrl` is. Default: `bundleUrl + ".sig"`. Fetched only with `bundleKey`. */
  bundleSignatureUrl?: string;
  /** Signature (base64url, as `attune sign` writes it) of an inline `bundle` given as JSON text. */
  bundleSignature?: string;
  /** A bundle whose text is longer (UTF-8 bytes) is refused (`bundle-invalid`). Default 2000000 (2 MB). */
  maxBundleBytes?: number;
  /** How long events are batched before a send, in ms. Default 1000. */
  flushIntervalMs?: number;
  /** A send without an answer after this many ms is aborted and retried. Default (and for 0) 10000. */
  requestTimeoutMs?: number;
  /** Events read from the queue and sent together (split into requests by the format's body limit). Default 500; 0 counts as 1. */
  batchSize?: number;
  /** Caps of the outgoing queue; the oldest events are dropped first. Default 1000 events, 1 MB. */
  queue?: { maxEvents?: number; maxBytes?: number };
  /** Keep up to this many events in memory before any consent decision; sent on grant, discarded on deny. Default 0 (off). */
  bufferBeforeConsent?: number;
  /** Global Privacy Control: 'respect' (default) keeps analytics denied when the browser sends GPC. */
  gpc?: 'respect' | 'ignore';
  /**
   * Consent purposes of the site's own (e.g. `['ads', 'functional']`), besides analytics and
   * personalization: Attune keeps, stores and reports their state; the site gates on them
   * (`consent.granted('ads')`, `subscribe`). Lower-case names, at most 40 characters.
   */
  purposes?: readonly string[];
  /**
   * IAB TCF v2.2: read consent from the page's CMP (`__tcfapi`) when present (default), with an
   * optional mapping purpose → TCF purpose ids (all must be consented; site purposes may be
   * mapped too); false to ignore it.
   */
  tcf?: false | { purposes?: Readonly<Record<string, readonly number[]>> };
  /**
   * Google Consent Mode: read the page's `gtag('consent', 'default' | 'update', ...)` commands
   * from `dataLayer` when present (default), with an optional mapping purpose → Consent Mode types
   * (default `DEFAULT_CONSENT_MODE_PURPOSES`; site purposes may be mapped too); false to ignore it.
   */
  consentMode?: false | { purposes?: Readonly<Record<string, readonly string[]>> };
  /**
   * What the local profile keeps: affinity rules, purchase and item events, how many raw events
   * and for how long. Defaults: `DEFAULT_PROFILE_RULES` (see docs/profile.md).
   */
  profile?: Partial<ProfileRules>;
  /**
   * JSON fetched once personalization is granted and merged into the profile like `hydrate()`
   * (segments computed by a CDP, the offer an email already showed). Same-origin credentials.
   */
  profileUrl?: string;
  /**
   * Where the visitor is, as the site knows it (its CDN or server: never a third-party lookup):
   * rules and models read it as `context.location`. Without it, the page's
   * `<meta name="attune-country">` / `<meta name="attune-region">` tags are read.
   */
  location?: { country?: string; region?: string };
  /** Send `email` / `phone` traits as-is besides their SHA-256 hashes. Default false: hashes only. */
  sendRawIdentifiers?: boolean;
  /** IndexedDB database name. Default "attune". */
  databaseName?: string;
  /** Receives every problem (invalid event, rejected bundle, failed send). Default: console.warn. */
  onError?: (error: AttuneError) => void;
  /** Replace clock, network, storage or timers (tests, Node). */
  environment?: Partial<AttuneEnvironment>;
}

/** `ready`: a bundle serves (maybe with `error` saying why a newer copy was refused); `failed`: none does. */
export type BundleStatus = 'none' | 'loading' | 'ready' | 'failed';

/** Counters of what was not collected or delivered, and why. */
export interface AttuneDiagnostics {
  /** Events dropped for bad input (name, properties, size). */
  invalidEvents: number;
  /** Events dropped because the queue hit its caps. */
  droppedEvents: number;
  /** Events the collector refused for good (4xx). */
  rejectedEvents: number;
  /** Events waiting in memory for a consent decision. */
  bufferedEvents: number;
}

/** What `client.inspect()` returns: a fresh object each call. */
export interface AttuneInspection {
  /** The serving bundle (undefined when none serves). */
  bundle: Bundle | undefined;
  /** Ids of the bundle segments whose rules match now (empty without personalization consent). */
  segments: readonly string[];
  /** Experiment id → the visitor's sticky variant (empty without personalization consent). */
  assignments: Readonly<Record<string, string>>;
  /** Experiment id → the variant forced by `force()` or `?attune_force=`. */
  forced: Readonly<Record<string, string>>;
}

/** Immutable view of the client state; a new object after every change. */
export interface AttuneSnapshot {
  consent: Readonly<ConsentState>;
  /**
   * `client.ready` has resolved: the bundle serves (or none could be loaded) and the stored profile
   * is read. Before that, a visitor with personalization granted may still get another decision:
   * renderers show such a slot as pending rather than its default (see `decisionPending`).
   */
  ready: boolean;
  /**
   * Page views recorded on this page so far (`page()`, SPA navigations): what is on screen is
   * reported again with `shown` for each, since exposures count once per page view.
   */
  pageView: number;
  bundle: {
    status: BundleStatus;
    id?: string;
    /** The bundle's `version` as written in it. */
    version?: string | number;
    /** Where the serving bundle came from: the network, the IndexedDB cache (until refreshed) or inline. */
    source?: BundleOrigin;
    /** The last problem: why loading failed, or why a newer copy was refused while this one kept serving. */
    error?: AttuneError;
  };
  profile: ProfileSnapshot;
  diagnostics: Readonly<AttuneDiagnostics>;
}

export interface AttuneClient {
  consent: {
    /** Grants purposes (default: all, the site's own included). Storage starts only now. */
    grant(purposes?: Purpose | Purpose[]): Promise<void>;
    /** Denies purposes (default: all); denying analytics and personalization erases the local database. */
    deny(purposes?: Purpose | Purpose[]): Promise<void>;
    /** Withdraws every purpose: the same as `deny()`, so everything stored is erased. */
    withdraw(): Promise<void>;
    /** The state of every purpose: unknown, granted or denied. */
    get(): Readonly<ConsentState>;
    /** Whether this purpose (built-in or the site's own) is granted now. */
    granted(purpose: Purpose): boolean;
  };
  /** Records an event. Never throws: bad input is dropped with a warning. */
  track(name: string, properties?: Record<string, unknown>): void;
  /** Records a page view (`page_view`) with the current page context. */
  page(properties?: Record<string, unknown>): void;
  /**
   * Sets the user id (kept on this device), stitches the anonymous history into that user's
   * profile, and records an `identify` event with the traits (email and phone sent only as SHA-256).
   */
  identify(userId: string, traits?: Record<string, unknown>): void;
  /** Records that `userId` is the same person as the current user (or anonymous visitor). */
  alias(userId: string): void;
  /**
   * Logout: a fresh anonymous profile (new anonymous id and session) starts; a known user's
   * profile is kept on this device and merged back when they identify again.
   */
  reset(): void;
  /**
   * Merges profile data computed elsewhere (traits, segments, affinities, expiry; see docs/profile.md).
   * Invalid input is reported as `profile-invalid` and ignored. Applied once personalization is granted.
   */
  hydrate(input: unknown): void;
  /** Events of `name` in the last `window` ("30m", "7d", "2w"), or ever without a window. O(buckets). */
  count(name: string, window?: string): number;
  /**
   * Erases everything Attune keeps on this device (profile, queue, ids, session, the stored
   * consent) and stops sending, in one call. The IndexedDB database is gone afterwards.
   */
  erase(): Promise<void>;
  /**
   * Decides a slot synchronously from the in-memory profile, the compiled bundle and the decision
   * state (sticky assignments, caps). Never throws; `reason` says why (docs/experiments.md "Decisions").
   */
  decide(slot: string): Decision;
  /** Decides every slot of the bundle at once (same answers as `decide`, in bundle order). */
  decideAll(): readonly Decision[];
  /**
   * The bundle recommender `id`'s list for the visitor (docs/models.md "Recommendations"), synchronous.
   * The first call loads the ranking code (and the catalog file, if any) and answers `loading`;
   * subscribers are told when it is `ready`. Without personalization consent: the popular list.
   * Never throws: `unavailable` with a `message` (also reported as `recommender-invalid`).
   */
  recommend(id: string, options?: RecommendCallOptions): RecommendationList;
  /**
   * Call when a decision's content is actually on screen: counts the impression for frequency
   * caps and records an `experiment_exposure` event for an experiment (at most once per experiment
   * per page view; never for forced decisions). The script tag calls it for the slots it renders.
   */
  shown(decision: Decision): void;
  /**
   * QA: serves `variantId` for the experiment `experimentId` (like `?attune_force=id:variant`);
   * `null` removes the override. Forced decisions are marked and never counted as exposures.
   */
  force(experimentId: string, variantId: string | null): void;
  /**
   * QA tools (the preview overlay): the serving bundle as validated, the bundle segments the
   * visitor is in now, their sticky experiment assignments and the QA overrides in force.
   */
  inspect(): AttuneInspection;
  /** Sends queued events now; rejects with `sync-failed` if the collector failed (events stay queued). */
  flush(): Promise<void>;
  /**
   * Resolves once a bundle serves (at start-up the cached copy, while the network copy is checked
   * in the background) or none could be loaded, and the stored profile is read.
   */
  ready: Promise<void>;
  subscribe(listener: () => void): () => void;
  getSnapshot(): AttuneSnapshot;
  /** Stops timers and listeners (the data stays). */
  destroy(): void;
}
