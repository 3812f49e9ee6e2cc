/**
 * attune-web-vitals.min.js: Core Web Vitals capture, loaded by the tag on demand after the page
 * has loaded, so the web-vitals library (the largest part of auto-capture) never delays the page
 * or the main tag. It hands its collector to the tag through a global (see load-parts.ts).
 */
import { captureWebVitals } from '@attune/core';

(window as Window & { __attuneWebVitals?: typeof captureWebVitals }).__attuneWebVitals = captureWebVitals;
