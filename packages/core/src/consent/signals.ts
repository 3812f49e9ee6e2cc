import type { Purpose } from './consent.js';

/** Global Privacy Control: the visitor asked not to have data sold or shared. */
export function gpcEnabled(): boolean {
  return (globalThis.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined)?.globalPrivacyControl === true;
}

/**
 * IAB TCF v2.2 purposes each Attune purpose needs (all must be consented):
 * personalization — 1 store/access information, 3 create personalised content profiles,
 * 4 use profiles to select personalised content; analytics — 1, 7 measure advertising
 * performance, 8 measure content performance, 9 understand audiences. Configurable.
 */
export const DEFAULT_TCF_PURPOSES: Readonly<Record<string, readonly number[]>> = {
  personalization: [1, 3, 4],
  analytics: [1, 7, 8, 9],
};
