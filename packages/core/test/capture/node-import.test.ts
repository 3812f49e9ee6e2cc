// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';

describe('auto-capture in Node (SSR)', () => {
  it('imports without touching window or document', async () => {
    const touched: string[] = [];
    for (const name of ['window', 'document', 'history', 'location']) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get: () => void touched.push(name),
      });
    }
    try {
      const module = await import('../../src/capture/auto-capture.js');
      expect(typeof module.startAutoCapture).toBe('function');
    } finally {
      for (const name of ['window', 'document', 'history', 'location']) delete (globalThis as Record<string, unknown>)[name];
    }
    expect(touched).toEqual([]);
  });

  it('makes startAutoCapture and every collector a no-op without a DOM', async () => {
    const { startAutoCapture, capturePageViews, captureClicks, captureForms, captureWebVitals } = await import(
      '../../src/capture/auto-capture.js'
    );
    expect(typeof globalThis.window).toBe('undefined');
    const warn = vi.spyOn(console, 'warn');
    const target = { track: vi.fn(), page: vi.fn() };
    const stops = [
      startAutoCapture(target),
      capturePageViews(target),
      captureClicks(target),
      captureForms(target),
      captureWebVitals(target),
    ];
    for (const stop of stops) expect(() => stop()).not.toThrow();
    expect(target.track).not.toHaveBeenCalled();
    expect(target.page).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
