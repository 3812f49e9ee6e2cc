import type { CaptureTarget, captureWebVitals } from '@attune/core';
import { loadPart } from './load-parts.js';

/**
 * Loads attune-web-vitals.min.js from beside the tag once the page has loaded, then starts
 * Core Web Vitals capture. A missing file only costs a console warning.
 */
export function loadWebVitals(target: CaptureTarget): void {
  const start = (): void =>
    void loadPart<typeof captureWebVitals>('attune-web-vitals.min.js', '__attuneWebVitals').then(
      (capture) => capture(target),
      (error: Error) => console.warn(`[attune] ${error.message}: Core Web Vitals are not captured.`),
    );
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
