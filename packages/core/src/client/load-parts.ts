/**
 * The code createAttune loads only when a bundle or the page needs it, as separate chunks for
 * bundlers (dynamic `import()`). The script tag's build replaces this module with its own
 * (packages/tag/src/load-parts.ts), which loads the same parts from files beside the tag.
 */
import type { ModelsPart } from '../decide/compile-bundle.js';
import type { ExperimentOutcome } from '../decide/types.js';
import type { extraOperators } from '../rules/extra-operators.js';
import type { RecommendPart } from './recommendations.js';
import type { startTriggers } from '../triggers/triggers-part.js';
import type { createBundleVerifier } from '../bundle/verify-signature.js';
import type { listenToTcf } from '../consent/tcf-listener.js';
import type { listenToConsentMode } from '../consent/consent-mode-listener.js';
import type { protectTraits } from '../profile/protect-traits.js';
import type { createSync } from '../sync/create-sync.js';

/** The `score` operator with the bundle's models, and bandits: for bundles with `models[]` or a bandit. */
export const loadModels = (): Promise<ModelsPart> => import('../models/models-part.js').then((part) => part.modelsPart);

/** Catalog checks and ranking, once the page first asks a recommender for a list. */
export const loadRecommend = (): Promise<RecommendPart> => import('../models/recommend/recommend-part.js').then((part) => part.recommendPart);

/** Journey triggers, for bundles with `triggers[]`. */
export type TriggersPart = typeof startTriggers;
export const loadTriggers = (): Promise<TriggersPart> => import('../triggers/triggers-part.js').then((part) => part.startTriggers);

/** The bundle signature check (WebCrypto ECDSA), for clients with a `bundleKey`. */
export const loadVerifier = (): Promise<typeof createBundleVerifier> => import('../bundle/verify-signature.js').then((part) => part.createBundleVerifier);

/** The IAB TCF listener, for pages with a CMP (`__tcfapi`). */
export const loadTcf = (): Promise<typeof listenToTcf> => import('../consent/tcf-listener.js').then((part) => part.listenToTcf);

/** The Google Consent Mode reader, for pages with gtag (a `gtag` function or a consent command on `dataLayer`). */
export const loadConsentMode = (): Promise<typeof listenToConsentMode> => import('../consent/consent-mode-listener.js').then((part) => part.listenToConsentMode);

/** Hashing of identifiers (email, phone) before an identify event leaves the device. */
export const loadProtectTraits = (): Promise<typeof protectTraits> => import('../profile/protect-traits.js').then((part) => part.protectTraits);

/** Delivery to the collector (batching, retries, the page-hide send, the JSON format), for clients with a `collectorUrl`. */
export const loadSync = (): Promise<typeof createSync> => import('../sync/create-sync.js').then((part) => part.createSync);

/** The rule operators off the critical path (arithmetic, arrays, strings, text, time), for bundles whose rules use one. */
export const loadOperators = (): Promise<typeof extraOperators> => import('../rules/extra-operators.js').then((part) => part.extraOperators);

/** Experiments (assignment by hash, sticky assignments, holdouts, multivariate), for bundles with an experiment. */
export const loadExperiments = (): Promise<ExperimentOutcome> => import('../decide/experiment-outcome.js').then((part) => part.experimentOutcome);
