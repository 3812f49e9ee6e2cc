// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureTarget } from '../../src/capture/auto-capture.js';
import { capturePageViews } from '../../src/capture/page-views.js';
import { recordingTarget, starter } from './harness.js';

const { start, stopAll } = starter(capturePageViews);

afterEach(() => {
  stopAll();
  history.replaceState(null, '', '/');
  vi.restoreAllMocks();
});

describe('page views', () => {
  it('emits one page view with path, url and the previous url as referrer on pushState to a new path', () => {
    const target = recordingTarget();
    start(target);
    history.pushState({}, '', '/products?page=2');
    expect(target.calls).toEqual([
      {
        method: 'page',
        properties: { path: '/products', url: 'http://localhost:3000/products?page=2', referrer: 'http://localhost:3000/' },
      },
    ]);
  });

  it('uses the url of the previous page view as the next referrer', () => {
    const target = recordingTarget();
    start(target);
    history.pushState(null, '', '/a');
    history.pushState(null, '', '/b');
    expect(target.calls[1]?.properties).toMatchObject({ path: '/b', referrer: 'http://localhost:3000/a' });
  });

  it('emits nothing on replaceState with the same url', () => {
    const target = recordingTarget();
    start(target);
    history.replaceState({ scroll: 10 }, '', location.href);
    history.replaceState({ scroll: 20 }, '');
    expect(target.calls).toEqual([]);
  });

  it('emits nothing on a hash-only change', () => {
    const target = recordingTarget();
    start(target);
    history.pushState(null, '', '#reviews');
    history.replaceState(null, '', '/#specs');
    expect(target.calls).toEqual([]);
  });

  it('emits a page view on replaceState to a new query', () => {
    const target = recordingTarget();
    start(target);
    history.replaceState(null, '', '/?q=shoes');
    expect(target.calls).toHaveLength(1);
    expect(target.calls[0]?.properties).toMatchObject({ path: '/', url: 'http://localhost:3000/?q=shoes' });
  });

  it('emits one page view on popstate after a back navigation', () => {
    const target = recordingTarget();
    start(target);
    // The browser changes the URL itself on back/forward, then fires popstate.
    History.prototype.pushState.call(history, null, '', '/previous');
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
    expect(target.calls).toEqual([
      { method: 'page', properties: { path: '/previous', url: 'http://localhost:3000/previous', referrer: 'http://localhost:3000/' } },
    ]);
  });

  it('emits nothing on popstate when the path and query did not change', () => {
    const target = recordingTarget();
    start(target);
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
    expect(target.calls).toEqual([]);
  });

  it('calls the original history method with the same arguments', () => {
    const original = vi.spyOn(History.prototype, 'pushState');
    start(recordingTarget());
    const state = { step: 2 };
    history.pushState(state, '', '/checkout');
    expect(original).toHaveBeenCalledOnce();
    expect(original).toHaveBeenCalledWith(state, '', '/checkout');
    expect(history.state).toEqual(state);
  });

  it('emits one page view per navigation when started twice for the same target', () => {
    const target = recordingTarget();
    start(target);
    start(target);
    history.pushState(null, '', '/once');
    expect(target.calls).toHaveLength(1);
  });

  it('keeps capturing until the last of two starts is stopped', () => {
    const target = recordingTarget();
    const first = start(target);
    start(target);
    first();
    first();
    history.pushState(null, '', '/still');
    expect(target.calls).toHaveLength(1);
  });

  it('sends each navigation once to each of two targets', () => {
    const a = recordingTarget();
    const b = recordingTarget();
    start(a);
    start(b);
    history.pushState(null, '', '/both');
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(1);
  });

  it('restores the original history methods on stop and emits nothing after', () => {
    const push = history.pushState;
    const replace = history.replaceState;
    const target = recordingTarget();
    const stop = start(target);
    expect(history.pushState).not.toBe(push);
    stop();
    expect(history.pushState).toBe(push);
    expect(history.replaceState).toBe(replace);
    expect(Object.prototype.hasOwnProperty.call(history, 'pushState')).toBe(false);
    history.pushState(null, '', '/after-stop');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(target.calls).toEqual([]);
  });

  it('leaves a wrapper added after ours in place on stop, with ours turned into a pass-through', () => {
    const target = recordingTarget();
    const stop = start(target);
    const ours = history.pushState;
    const seen: unknown[] = [];
    const theirs = function (this: History, ...args: Parameters<History['pushState']>): void {
      seen.push(args[2]);
      ours.apply(this, args);
    };
    history.pushState = theirs;
    stop();
    expect(history.pushState).toBe(theirs);
    history.pushState(null, '', '/routed');
    expect(seen).toEqual(['/routed']);
    expect(location.pathname).toBe('/routed');
    expect(target.calls).toEqual([]);
    delete (history as Partial<History>).pushState;
  });

  it('does not throw into the page when the target throws, warns, and still serves other targets', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    start({ track: () => {}, page: () => { throw new Error('boom'); } });
    const other = recordingTarget();
    start(other);
    expect(() => history.pushState(null, '', '/safe')).not.toThrow();
    expect(location.pathname).toBe('/safe');
    expect(other.calls).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[attune\] .*boom/));
  });
});
