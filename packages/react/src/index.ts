'use client';
/**
 * @attune/react: an Attune client for a React tree, slots that never flicker, and server
 * rendering (Next.js App Router) whose HTML hydration matches (docs/react.md "React").
 */
export { AttuneProvider } from './provider.js';
export type { AttuneProviderProps } from './provider.js';
export { useAttune, useConsent, useDecision, useProfile, useRecommendations } from './hooks.js';
export { AttuneSlot } from './slot.js';
export type { AttuneSlotProps } from './slot.js';
export type { Decision, RecommendationList, ServerDecisions, SlotView } from '@attune/core';
