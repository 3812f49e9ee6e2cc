import type { CaptureTarget, captureWebVitals } from '@attune/core';

type Capture = typeof captureWebVitals;

/**
 * Loads attune-web-vitals.min.js from beside the tag once the page has loaded, then starts
 * Core Web Vitals capture. A missing file only costs a console warning.
 */
export function loadWebVitals(target: CaptureTarget, tagUrl: string): void {
  const start = (): void => {
    const ready = (window as Window & { __attuneWebVitals?: Capture }).__attuneWebVitals;
    if (ready) {
      ready(target);
      return;
    }
    document.addEventListener('attune:web-vitals', () => (window as Window & { __attuneWebVitals?: Capture }).__attuneWebVitals?.(target), { once: true });
    const script = document.createElement('script');
    script.async = true;
    script.src = new URL('attune-web-vitals.min.js', tagUrl).href;
    script.onerror = () => console.warn(`[attune] could not load ${script.src}: Core Web Vitals are not captured.`);
    document.head.appendChild(script);
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
