/**
 * @attune/vue — Attune for Vue 3: a plugin, composables and a slot component built on the core
 * client's subscribe / getSnapshot and its slot views (the no-flicker rules shared with every
 * wrapper). Nothing here touches browser globals at import time (SSR-safe).
 */
export { createAttunePlugin } from './plugin.js';
export type { AttunePluginConfig, AttuneVueSettings } from './plugin.js';
export { useAttune, useConsent, useDecision, useProfile, useRecommendations } from './composables.js';
export type { UseDecisionOptions } from './composables.js';
export { AttuneSlot, personalizedText } from './attune-slot.js';
export type { AttuneClient, AttuneOptions, ConsentState, Decision, DecisionReason, IdCookieOptions, ProfileSnapshot, RecommendationList, ServerDecisions, SlotView } from '@attune/core';
