/**
 * @attune/core — on-device personalization: consented events, a local profile in IndexedDB,
 * rule bundles evaluated in the browser, and sync to any collector.
 */
export { createAttune } from './client/client.js';
export { decisionPending } from './client/decision-pending.js';
// Server rendering and UI wrappers (the server's own decider is in '@attune/core/server').
export { syncIdCookie } from './client/id-cookie.js';
export type { IdCookieOptions } from './client/id-cookie.js';
export { openPreview } from './preview/preview-overlay.js';
export type { PreviewOverlay } from './preview/preview-overlay.js';
export { PREVIEW_PARAM, previewLink, previewModel, previewRequested } from './preview/preview-model.js';
export type { ExperimentControl, PreviewModel, SlotRow } from './preview/preview-model.js';
export { createSlotViews } from './render/slot-views.js';
export type { SlotView, SlotViews, SlotViewsOptions } from './render/slot-views.js';
export { ID_COOKIE } from './server/server-decisions.js';
export type { ServerDecisions, ServerSlot } from './server/server-decisions.js';
export type { AttuneClient, AttuneDiagnostics, AttuneInspection, AttuneOptions, AttuneSnapshot, BundleStatus } from './client/client.js';
export { compileRule, truthy } from './rules/compile-rule.js';
export type { CompiledRule, CompileOptions, CustomOperator, OperatorBuilders } from './rules/compile-rule.js';
export { attuneOperators, EMPTY_RULE_HOST } from './rules/attune-operators.js';
export type { RuleHost } from './rules/attune-operators.js';
export type { Decision, DecisionReason } from './decide/decide.js';
export { assignFactors, assignVariant } from './decide/assign-variant.js';
export type {
  AssignableExperiment,
  AssignableFactor,
  AssignableMultivariate,
  AssignableVariant,
  Assignment,
  FactorAssignment,
} from './decide/assign-variant.js';
export { murmur3_x86_32 } from './decide/murmur3.js';
export { validateBundle } from './bundle/validate-bundle.js';
export { checkBundle } from './bundle/check-bundle.js';
export { createBundleVerifier, verifyBundleSignature } from './bundle/verify-signature.js';
export type { BundleVerifier } from './bundle/verify-signature.js';
export { MAX_BUNDLE_BYTES } from './bundle/bundle-source.js';
export type { BundleOrigin } from './bundle/bundle-source.js';
export type { Bundle, BundleContent, BundleExperience, BundleVariant } from './bundle/schema.js';
export type { BundleLogisticModel, BundleModel, BundleModelFeature, BundleTree, BundleTreeEnsembleModel } from './bundle/schema.js';
// Models (scores on the device): not used by the client yet; imported only by what scores.
export { compileModel } from './models/compile-model.js';
export type { CompiledModel } from './models/compile-model.js';
export { modelProblems } from './models/check-model.js';
export { featureReader } from './models/read-features.js';
export type { CompileRead } from './models/read-features.js';
export { packLogistic, scoreLogistic } from './models/logistic.js';
export type { PackedLogistic } from './models/logistic.js';
export { packTreeEnsemble, scoreTreeEnsemble } from './models/tree-ensemble.js';
export type { PackedTreeEnsemble } from './models/tree-ensemble.js';
export { MAX_FEATURES, MAX_NODES, MAX_TREES } from './models/limits.js';
// Recommendations and bandits: not used by the client yet; imported only by what ranks or draws.
export type { BundleAllocation, BundleBlend, BundleCatalogItem, BundlePosterior, BundleRecommender, BundleTrigger } from './bundle/schema.js';
export { compileRecommender, DEFAULT_BLEND } from './models/recommend/compile-recommender.js';
export type { CompiledRecommender } from './models/recommend/compile-recommender.js';
export { recommend } from './models/recommend/recommend.js';
export type { Recommendation, Recommendations, RecommendOptions, RecommendProfile, RecommendSignal } from './models/recommend/recommend.js';
export { recommenderProblems } from './models/recommend/check-recommender.js';
export { CATALOG_SCHEMA, checkCatalog, verifyCatalog } from './models/recommend/catalog-file.js';
export { MAX_CATALOG_BYTES, MAX_ITEMS, MAX_LIMIT, MAX_NEIGHBORS } from './models/recommend/limits.js';
export { chooseArm, compileBandit } from './models/bandit/choose-arm.js';
export type { ArmChoice, CompiledBandit } from './models/bandit/choose-arm.js';
export { banditProblems } from './models/bandit/check-bandit.js';
export { sampleBeta, sampleGamma } from './models/bandit/beta-sample.js';
export { mulberry32 } from './models/bandit/random.js';
export type { Random } from './models/bandit/random.js';
export type { ConsentState, ConsentStatus, Purpose } from './consent/consent.js';
export { DEFAULT_CONSENT_MODE_PURPOSES, DEFAULT_TCF_PURPOSES } from './consent/signals.js';
export { listenToTcf } from './consent/tcf-listener.js';
export { listenToConsentMode } from './consent/consent-mode-listener.js';
export { protectTraits } from './profile/protect-traits.js';
export { createSync } from './sync/create-sync.js';
export type { Sync, SyncHooks, SyncOptions } from './sync/create-sync.js';
export type { PageContext } from './context/read-context.js';
export type { PageLocation } from './context/location.js';
export type { AttuneEvent, EventType } from './events/event.js';
export { SESSION_TIMEOUT_MS } from './events/session.js';
export { EMPTY_PROFILE } from './profile/profile.js';
export type { EventStats, ProfileSnapshot } from './profile/profile.js';
export { DEFAULT_PROFILE_RULES } from './profile/profile-data.js';
export type { ProfileRules } from './profile/profile-data.js';
export type { RecentEvent } from './profile/recent-events.js';
export { jsonAdapter } from './sync/adapters/json.js';
export { segmentAdapter } from './sync/adapters/segment.js';
export type { SegmentSettings } from './sync/adapters/segment.js';
export { snowplowAdapter } from './sync/adapters/snowplow.js';
export type { SnowplowSettings } from './sync/adapters/snowplow.js';
export type { AdapterOptions, CollectorAdapter, CollectorRequest } from './sync/adapters/types.js';
export { captureClicks, captureForms, capturePageViews, captureWebVitals, startAutoCapture } from './capture/auto-capture.js';
export type { AutoCaptureOptions, CaptureTarget } from './capture/auto-capture.js';
export type { AttuneEnvironment } from './environment.js';
export { AttuneError } from './errors.js';
export type { AttuneErrorCode } from './errors.js';
// Decision engine (pure, synchronous): what the client calls, usable on its own (Node, SSR, tests).
export { compileBundle } from './decide/compile-standalone.js';
export type { BundleParts, ModelsPart } from './decide/compile-bundle.js';
export { extraOperators } from './rules/extra-operators.js';
export { experimentOutcome } from './decide/experiment-outcome.js';
export { createBundleScores } from './decide/scores.js';
export { createBanditDraw } from './decide/bandits.js';
export { modelsPart } from './models/models-part.js';
export { createTriggerRunner } from './triggers/run-triggers.js';
export { startTriggers } from './triggers/triggers-part.js';
export type { TriggerDeps } from './triggers/triggers-part.js';
export type { TriggerCheck, TriggerHost, TriggerMemory, TriggerRunner, Firing } from './triggers/run-triggers.js';
export { triggerProblems } from './triggers/check-trigger.js';
export { recommendPart } from './models/recommend/recommend-part.js';
export type { RecommendationDeps } from './models/recommend/recommend-part.js';
export type { RecommendPart } from './client/recommendations.js';
export type { RecommendationList, RecommendCallOptions } from './client/recommendations.js';
export type { BundleScores, CreateDraw, CreateScores, DrawArm } from './decide/types.js';
export type { CompiledBundle, DecisionData, RuleErrorHandler } from './decide/compile-bundle.js';
export { decide, decideAll } from './decide/decide.js';
export type { DecideInput, DecisionUnits, ExperimentInfo } from './decide/decide.js';
export { segmentMembership, journeyStage } from './decide/membership.js';
export { activeAssignments, forceProblem, pruneDecisionState } from './decide/assignments.js';
export { EMPTY_DECISION_STATE, parseDecisionState, recordAssignment, recordImpression } from './decide/decision-state.js';
export type { CapCounter, DecisionState, StickyAssignment } from './decide/decision-state.js';
export { exposureFor, impressionFor, newPageView } from './decide/page-view.js';
export type { Exposure, PageView } from './decide/page-view.js';
