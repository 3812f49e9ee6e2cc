/**
 * @attune/vue — Attune for Vue 3: a plugin, composables and a slot component built on the core
 * client's subscribe / getSnapshot. Nothing here touches browser globals at import time (SSR-safe).
 */
export { createAttunePlugin } from './plugin.js';
export type { AttunePluginConfig, AttuneVueSettings } from './plugin.js';
export { useAttune, useConsent, useDecision, useProfile } from './composables.js';
export type { UseDecisionOptions } from './composables.js';
export { AttuneSlot, personalizedText } from './attune-slot.js';
export type { InitialDecisions } from './initial-decisions.js';
export type { AttuneClient, AttuneOptions, AttuneSnapshot, ConsentState, Decision, DecisionReason, ProfileSnapshot } from '@attune/core';
