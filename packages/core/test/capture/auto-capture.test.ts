// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAutoCapture, type AutoCaptureOptions, type CaptureTarget } from '../../src/capture/auto-capture.js';
import { recordingTarget, starter, type Call } from './harness.js';

const vitals = vi.hoisted(() => ({ callbacks: [] as Array<{ name: string; callback: (metric: unknown) => void }> }));
vi.mock('web-vitals', () => {
  const register = (name: string) => (callback: (metric: unknown) => void) => void vitals.callbacks.push({ name, callback });
  return { onLCP: register('LCP'), onINP: register('INP'), onCLS: register('CLS'), onFCP: register('FCP'), onTTFB: register('TTFB') };
});

const { start, stopAll } = starter(startAutoCapture);

afterEach(() => {
  stopAll();
  document.body.innerHTML = '';
  history.replaceState(null, '', '/');
  vitals.callbacks.length = 0;
  vi.restoreAllMocks();
});

const PAGE = `
  <button id="buy" data-attune-track="add_to_cart" data-attune-sku="A1">Add</button>
  <form id="newsletter"><input id="email" name="email"></form>`;

/** A navigation, a click, a form start and a web-vitals report: what each collector listens to. */
function visit(): void {
  history.pushState(null, '', '/next');
  document.querySelector('#buy')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  document.querySelector('#email')?.dispatchEvent(new Event('input', { bubbles: true }));
  for (const { name, callback } of vitals.callbacks) {
    if (name === 'LCP') callback({ name: 'LCP', value: 1, rating: 'good', delta: 1, id: 'v6-1', navigationType: 'navigate', entries: [] });
  }
}

const summary = (calls: Call[]) => calls.map((call) => (call.method === 'page' ? 'page' : call.name));

describe('startAutoCapture', () => {
  it('starts page views, clicks, forms and web vitals by default', () => {
    document.body.innerHTML = PAGE;
    const target = recordingTarget();
    start(target);
    visit();
    expect(summary(target.calls)).toEqual(['page', 'add_to_cart', 'form_started', 'web_vital']);
  });

  it('does not emit the initial page view', () => {
    const target = recordingTarget();
    start(target);
    expect(target.calls).toEqual([]);
  });

  it('leaves out each collector set to false', () => {
    document.body.innerHTML = PAGE;
    const target = recordingTarget();
    const push = history.pushState;
    start(target, { pageViews: false, clicks: false, forms: false, webVitals: false });
    expect(history.pushState).toBe(push);
    expect(vitals.callbacks).toHaveLength(0);
    visit();
    expect(target.calls).toEqual([]);
  });

  it('starts only the collectors left on', () => {
    document.body.innerHTML = PAGE;
    const target = recordingTarget();
    start(target, { pageViews: false, webVitals: false });
    visit();
    expect(summary(target.calls)).toEqual(['add_to_cart', 'form_started']);
  });

  it('stops every collector and restores history.pushState and replaceState', () => {
    document.body.innerHTML = PAGE;
    const push = history.pushState;
    const replace = history.replaceState;
    const target = recordingTarget();
    const stop = start(target);
    stop();
    stop();
    expect(history.pushState).toBe(push);
    expect(history.replaceState).toBe(replace);
    visit();
    expect(target.calls).toEqual([]);
  });

  it('does not duplicate events when started twice for the same target', () => {
    document.body.innerHTML = PAGE;
    const target = recordingTarget();
    start(target);
    start(target);
    visit();
    expect(summary(target.calls)).toEqual(['page', 'add_to_cart', 'form_started', 'web_vital']);
  });

  it('keeps capturing until both starts for a target are stopped', () => {
    document.body.innerHTML = PAGE;
    const target = recordingTarget();
    const first = start(target);
    start(target, { webVitals: false });
    first();
    visit();
    expect(summary(target.calls)).toEqual(['page', 'add_to_cart', 'form_started']);
  });

  it('never lets a throwing target reach the page: dispatchEvent does not throw and a warning is logged', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    document.body.innerHTML = PAGE;
    const pageHandler = vi.fn();
    document.querySelector('#buy')?.addEventListener('click', pageHandler);
    const fail = () => { throw new Error('target down'); };
    start({ track: fail, page: fail });
    const button = document.querySelector('#buy');
    expect(() => button?.dispatchEvent(new MouseEvent('click', { bubbles: true }))).not.toThrow();
    expect(() => history.pushState(null, '', '/elsewhere')).not.toThrow();
    expect(location.pathname).toBe('/elsewhere');
    expect(pageHandler).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[attune\] .*target down/));
  });
});
