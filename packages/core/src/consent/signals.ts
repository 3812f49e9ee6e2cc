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

/**
 * Google Consent Mode types each Attune purpose follows: analytics ← `analytics_storage`;
 * personalization ← `ad_personalization` and `personalization_storage`. A purpose is denied when
 * any of its types the page set is denied, granted when every one it set is granted (a type the
 * page never set does not count; none set: no decision). Configurable (`consentMode.purposes`).
 */
export const DEFAULT_CONSENT_MODE_PURPOSES: Readonly<Record<string, readonly string[]>> = {
  analytics: ['analytics_storage'],
  personalization: ['ad_personalization', 'personalization_storage'],
};

/** Whether the page uses Google Consent Mode: a `gtag` function, or a `consent` command on `dataLayer`. */
export const consentModeOnPage = (page = globalThis as { gtag?: unknown; dataLayer?: unknown }): boolean =>
  typeof page.gtag === 'function' || (Array.isArray(page.dataLayer) && page.dataLayer.some((command) => (command as { 0?: unknown } | null)?.[0] === 'consent'));
