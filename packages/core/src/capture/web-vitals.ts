import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from 'web-vitals';
import type { CaptureTarget } from './capture-target.js';

function warn(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`[attune] auto-capture: web vitals failed (the page is unaffected): ${message}`);
}

/** The `web_vital` event properties for one web-vitals report (entries are left out: DOM objects). */
export function webVitalProperties(metric: MetricType): Record<string, unknown> {
  return {
    metric: metric.name,
    value: metric.value,
    rating: metric.rating,
    delta: metric.delta,
    id: metric.id,
    navigationType: metric.navigationType,
  };
}

/**
 * Tracks the Core Web Vitals LCP, INP, CLS, FCP and TTFB with the `web-vitals` package:
 * `track('web_vital', { metric, value, rating, delta, id, navigationType })`. A metric can be
 * reported more than once (web-vitals reports again when the page is hidden); sum `delta` per
 * `id`, or keep the last `value` per `id`.
 *
 * web-vitals has no way to unsubscribe, so the returned stop function makes later reports be
 * dropped. Each call registers new web-vitals observers: start it once per page.
 * Does nothing outside a browser.
 */
export function captureWebVitals(target: CaptureTarget): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  let active = true;
  const report = (metric: MetricType): void => {
    if (!active) return;
    try {
      target.track('web_vital', webVitalProperties(metric));
    } catch (error) {
      warn(error);
    }
  };
  for (const observe of [onLCP, onINP, onCLS, onFCP, onTTFB]) {
    // A browser without PerformanceObserver support for one metric must not stop the others.
    try {
      observe(report);
    } catch (error) {
      warn(error);
    }
  }
  return () => {
    active = false;
  };
}
