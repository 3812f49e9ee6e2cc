// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetricType } from 'web-vitals';
import type { CaptureTarget } from '../../src/capture/auto-capture.js';
import { captureWebVitals } from '../../src/capture/web-vitals.js';
import { recordingTarget } from './harness.js';

type Report = (metric: MetricType) => void;
const vitals = vi.hoisted(() => ({ callbacks: new Map<string, Array<(metric: unknown) => void>>(), failing: new Set<string>() }));

vi.mock('web-vitals', () => {
  const register = (name: string) => (callback: (metric: unknown) => void) => {
    if (vitals.failing.has(name)) throw new Error(`${name} unsupported`);
    vitals.callbacks.set(name, [...(vitals.callbacks.get(name) ?? []), callback]);
  };
  return { onLCP: register('LCP'), onINP: register('INP'), onCLS: register('CLS'), onFCP: register('FCP'), onTTFB: register('TTFB') };
});

function metric(name: MetricType['name'], overrides: Partial<MetricType> = {}): MetricType {
  return {
    name,
    value: 1234.5,
    rating: 'needs-improvement',
    delta: 1234.5,
    id: `v6-${name}-1`,
    entries: [],
    navigationType: 'navigate',
    navigationId: 1,
    ...overrides,
  } as MetricType;
}

/** Calls what web-vitals would: every callback registered for that metric. */
function report(value: MetricType): void {
  for (const callback of vitals.callbacks.get(value.name) ?? []) (callback as Report)(value);
}

beforeEach(() => {
  vitals.callbacks.clear();
  vitals.failing.clear();
});
afterEach(() => vi.restoreAllMocks());

describe('web vitals capture', () => {
  it('registers LCP, INP, CLS, FCP and TTFB', () => {
    captureWebVitals(recordingTarget());
    expect([...vitals.callbacks.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
  });

  it('tracks each report as web_vital with metric, value, rating, delta, id and navigationType', () => {
    const target = recordingTarget();
    captureWebVitals(target);
    report(metric('LCP'));
    report(metric('CLS', { value: 0.12, delta: 0.02, rating: 'needs-improvement', id: 'v6-cls', navigationType: 'back-forward-cache' }));
    expect(target.calls).toEqual([
      {
        method: 'track',
        name: 'web_vital',
        properties: { metric: 'LCP', value: 1234.5, rating: 'needs-improvement', delta: 1234.5, id: 'v6-LCP-1', navigationType: 'navigate' },
      },
      {
        method: 'track',
        name: 'web_vital',
        properties: { metric: 'CLS', value: 0.12, rating: 'needs-improvement', delta: 0.02, id: 'v6-cls', navigationType: 'back-forward-cache' },
      },
    ]);
  });

  it('drops reports that arrive after stop', () => {
    const target = recordingTarget();
    const stop = captureWebVitals(target);
    report(metric('FCP'));
    stop();
    report(metric('INP'));
    report(metric('TTFB'));
    expect(target.calls.map((call) => call.properties?.metric)).toEqual(['FCP']);
  });

  it('keeps the other metrics when one cannot be observed, and warns', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vitals.failing.add('INP');
    expect(() => captureWebVitals(recordingTarget())).not.toThrow();
    expect([...vitals.callbacks.keys()].sort()).toEqual(['CLS', 'FCP', 'LCP', 'TTFB']);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[attune\] .*INP unsupported/));
  });

  it('does not throw into web-vitals when the target throws, and warns', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    captureWebVitals({ track: () => { throw new Error('vital boom'); }, page: () => {} });
    expect(() => report(metric('LCP'))).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[attune\] .*vital boom/));
  });
});
