import { captureClicks } from './clicks.js';
import { captureForms } from './forms.js';
import { capturePageViews } from './page-views.js';
import { captureWebVitals } from './web-vitals.js';
import type { CaptureTarget } from './capture-target.js';
export type { CaptureTarget } from './capture-target.js';

export { captureClicks, captureForms, capturePageViews, captureWebVitals };

/** Which collectors {@link startAutoCapture} starts; each is on unless set to `false`. */
export interface AutoCaptureOptions {
  /** page views on SPA navigations: history.pushState / replaceState / popstate (default true). The initial page view is NOT emitted here (the caller does it). */
  pageViews?: boolean;
  /** clicks on elements marked data-attune-track="name" (default true) */
  clicks?: boolean;
  /** form_started / form_submitted / form_abandoned (default true) */
  forms?: boolean;
  /** Core Web Vitals LCP, INP, CLS, FCP, TTFB via the web-vitals package (default true) */
  webVitals?: boolean;
}

type Collector = keyof AutoCaptureOptions;
type StartCollector = (target: CaptureTarget) => () => void;

const COLLECTORS: ReadonlyArray<readonly [Collector, StartCollector]> = [
  ['pageViews', capturePageViews],
  ['clicks', captureClicks],
  ['forms', captureForms],
  ['webVitals', captureWebVitals],
];

/**
 * Collectors running per target, with how many starts use them: starting twice for one target
 * (say the script tag and the app's own code) must not double every event.
 */
const running = new WeakMap<CaptureTarget, Map<Collector, { users: number; stop: () => void }>>();

function warn(what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`[attune] auto-capture: ${what} failed (the page is unaffected): ${message}`);
}

function startShared(target: CaptureTarget, collector: Collector, start: StartCollector): () => void {
  let byCollector = running.get(target);
  if (!byCollector) running.set(target, (byCollector = new Map()));
  let entry = byCollector.get(collector);
  if (!entry) {
    entry = { users: 0, stop: start(target) };
    byCollector.set(collector, entry);
  }
  entry.users++;
  const used = entry;
  const collectors = byCollector;
  return () => {
    if (--used.users > 0) return;
    collectors.delete(collector);
    used.stop();
  };
}

/**
 * Starts the chosen collectors (all by default) sending events to `target`; returns a function
 * that stops them all and restores patched globals (`history.pushState` / `replaceState`).
 *
 * Never throws and never lets a collector's error reach the host page: failures are reported
 * with `console.warn('[attune] ...')`. Starting twice for the same target does not duplicate
 * events. In Node (no `window` / `document`) it does nothing and returns a no-op.
 *
 * To keep unused collectors out of a bundle, import them one by one instead
 * (`capturePageViews`, `captureClicks`, `captureForms`, `captureWebVitals`).
 */
export function startAutoCapture(target: CaptureTarget, options: AutoCaptureOptions = {}): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  const stops: Array<() => void> = [];
  for (const [collector, start] of COLLECTORS) {
    if (options[collector] === false) continue;
    try {
      stops.push(startShared(target, collector, start));
    } catch (error) {
      warn(`starting ${collector}`, error);
    }
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const stop of stops.reverse()) {
      try {
        stop();
      } catch (error) {
        warn('stopping', error);
      }
    }
  };
}
