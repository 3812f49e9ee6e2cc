/**
 * The tag's build of core's client/load-parts.ts (rollup swaps the module): each part is a file
 * beside the tag, loaded once, when a bundle or the page first needs it, and handed over through
 * a global. A part that does not load rejects: core then fails only what needed it.
 */
import type { AttuneClient, ModelsPart, experimentOutcome, extraOperators, createBundleVerifier, createSync, listenToConsentMode, listenToTcf, openPreview, protectTraits, RecommendPart, startTriggers } from '@attune/core';
import type { RecommendAddon } from './recommend-addon.js';

let base = typeof document === 'undefined' ? '' : document.baseURI;
let nonce = '';

/** Where the tag came from (its parts are beside it) and its CSP nonce (its parts carry it too). */
export function setPartsBase(url: string, scriptNonce: string): void {
  base = url;
  nonce = scriptNonce;
}

const loading = new Map<string, Promise<unknown>>();

/** Loads `file` from beside the tag once and resolves with what it put in `window[global]`. */
export function loadPart<T>(file: string, global: string): Promise<T> {
  let part = loading.get(file);
  if (part === undefined) {
    part = new Promise((resolve, reject) => {
      const held = (): unknown => (window as unknown as Record<string, unknown>)[global];
      if (held()) return resolve(held());
      const script = document.createElement('script');
      script.async = true;
      script.src = new URL(file, base).href;
      if (nonce) script.nonce = nonce;
      // Another file at that URL (a stale deploy) may load without the part.
      script.onload = () => (held() ? resolve(held()) : reject(new Error(`${script.src} loaded without its part: is it the same version as the tag?`)));
      script.onerror = () => reject(new Error(`could not load ${script.src}`));
      document.head.appendChild(script);
    });
    loading.set(file, part);
  }
  return part as Promise<T>;
}

/** The `score` operator with the bundle's models, and bandits: for bundles with `models[]` or a bandit (attune-models.min.js). */
export const loadModels = (): Promise<ModelsPart> => loadPart('attune-models.min.js', '__attuneModels');

/** Catalog checks, ranking and the lists' rendering, once the page first asks for a list (attune-recommend.min.js). */
export const loadRecommendAddon = (): Promise<RecommendAddon> => loadPart('attune-recommend.min.js', '__attuneRecommend');

/** Catalog checks and ranking, for client.recommend. */
export const loadRecommend = (): Promise<RecommendPart> => loadRecommendAddon().then((addon) => addon.part);

/** The bundle signature check, for a tag with `data-bundle-key` (attune-verify.min.js). */
export const loadVerifier = (): Promise<typeof createBundleVerifier> => loadPart('attune-verify.min.js', '__attuneVerify');

/** Hashing of identifiers, on the first identify() with an email or phone (attune-hash.min.js). */
export const loadProtectTraits = (): Promise<typeof protectTraits> => loadPart('attune-hash.min.js', '__attuneHash');

/** Delivery to the collector, for a tag with `data-collector`, from its start (attune-sync.min.js). */
export const loadSync = (): Promise<typeof createSync> => loadPart('attune-sync.min.js', '__attuneSync');

/** The rule operators off the critical path, for a bundle whose rules use one, before it compiles (attune-operators.min.js). */
export const loadOperators = (): Promise<typeof extraOperators> => loadPart('attune-operators.min.js', '__attuneOperators');

/** Experiments, for a bundle with an experiment, before it compiles (attune-experiments.min.js). */
export const loadExperiments = (): Promise<typeof experimentOutcome> => loadPart('attune-experiments.min.js', '__attuneExperiments');

/** The IAB TCF listener, for pages with a CMP (attune-tcf.min.js). */
export const loadTcf = (): Promise<typeof listenToTcf> => loadPart('attune-tcf.min.js', '__attuneTcf');

/** The Google Consent Mode reader, for pages with gtag (attune-consent-mode.min.js). */
export const loadConsentMode = (): Promise<typeof listenToConsentMode> => loadPart('attune-consent-mode.min.js', '__attuneConsentMode');

/** Journey triggers, for bundles with `triggers[]` (attune-triggers.min.js). */
export const loadTriggers = (): Promise<typeof startTriggers> => loadPart('attune-triggers.min.js', '__attuneTriggers');

/** Opens the QA preview overlay (attune-preview.min.js), for `?attune_debug=1` and `attune('preview')`. */
export function openPreviewPart(client: AttuneClient): void {
  loadPart<typeof openPreview>('attune-preview.min.js', '__attunePreview').then(
    (open) => void open(client),
    (error: Error) => console.warn(`[attune] ${error.message}: the preview overlay is not available.`),
  );
}
