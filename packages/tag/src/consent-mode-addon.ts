/**
 * attune-consent-mode.min.js: the Google Consent Mode reader, loaded by the tag only on pages with
 * gtag (a `gtag` function, or a `consent` command on `dataLayer`), see load-parts.ts. Handed to the
 * tag through a global.
 */
import { listenToConsentMode } from '@attune/core';

(window as Window & { __attuneConsentMode?: typeof listenToConsentMode }).__attuneConsentMode = listenToConsentMode;
