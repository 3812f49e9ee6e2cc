import type { CaptureTarget } from './capture-target.js';

type HistoryMethod = 'pushState' | 'replaceState';

/** One patch of `history`, shared by every target (so a second start adds no page views). */
interface HistoryPatch {
  /** False once removed: a wrapper someone else wrapped after us stays in their chain, inert. */
  active: boolean;
  /** `pathname + search` of the current page view: only a change of it is a new page view. */
  lastKey: string;
  /** The URL the visitor was on before the navigation: the next page view's referrer. */
  lastUrl: string;
  remove: () => void;
}

/** Targets receiving page views, with how many starts each has not stopped yet. */
const subscribers = new Map<CaptureTarget, number>();
let patch: HistoryPatch | undefined;

function warn(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`[attune] auto-capture: page view failed (the page is unaffected): ${message}`);
}

function pageKey(location: Location): string {
  return location.pathname + location.search;
}

/** Emits one page view to every target when the path or query changed (hash-only changes do not count). */
function emitIfPageChanged(state: HistoryPatch): void {
  if (!state.active) return;
  try {
    const { location } = window;
    const referrer = state.lastUrl;
    state.lastUrl = location.href;
    const key = pageKey(location);
    if (key === state.lastKey) return;
    state.lastKey = key;
    for (const target of [...subscribers.keys()]) {
      // One throwing target must not stop the others, nor the host's navigation.
      try {
        target.page({ path: location.pathname, url: location.href, referrer });
      } catch (error) {
        warn(error);
      }
    }
  } catch (error) {
    warn(error);
  }
}

/** Wraps one history method (original first, so the URL is already updated); returns its restore. */
function wrapHistoryMethod(history: History, method: HistoryMethod, state: HistoryPatch): () => void {
  const original = history[method];
  const hadOwn = Object.prototype.hasOwnProperty.call(history, method);
  const wrapped = function (this: History, ...args: Parameters<History[HistoryMethod]>): void {
    original.apply(this, args);
    emitIfPageChanged(state);
  };
  history[method] = wrapped;
  return () => {
    // Someone (a router, another tool) wrapped us since: putting the original back would drop
    // their wrapper, so ours stays in their chain and turns into a pass-through (`active` false).
    if (history[method] !== wrapped) return;
    if (hadOwn) {
      history[method] = original;
    } else {
      // The original came from History.prototype: removing our own property exposes it again.
      delete (history as Partial<Record<HistoryMethod, unknown>>)[method];
      if (history[method] !== original) history[method] = original;
    }
  };
}

function installPatch(): HistoryPatch {
  const { history, location } = window;
  const state: HistoryPatch = { active: true, lastKey: pageKey(location), lastUrl: location.href, remove: () => {} };
  const onPopState = (): void => emitIfPageChanged(state);
  const restorePush = wrapHistoryMethod(history, 'pushState', state);
  const restoreReplace = wrapHistoryMethod(history, 'replaceState', state);
  window.addEventListener('popstate', onPopState);
  state.remove = () => {
    state.active = false;
    window.removeEventListener('popstate', onPopState);
    restorePush();
    restoreReplace();
  };
  return state;
}

/**
 * Sends `target.page({ path, url, referrer })` on single-page-app navigations: `history.pushState`,
 * `history.replaceState` and `popstate`, only when `location.pathname + location.search` changed
 * (a `replaceState` to the same URL or a hash-only change is not a page view). The initial page
 * view is the caller's job.
 *
 * Safe to start more than once: `history` is patched once, and a target started twice still gets
 * one page view per navigation. Returns a stop function; when the last start is stopped the
 * original history methods are restored (unless another script wrapped them after us).
 * Does nothing outside a browser.
 */
export function capturePageViews(target: CaptureTarget): () => void {
  if (typeof window === 'undefined' || typeof window.history?.pushState !== 'function' || !window.location) {
    return () => {};
  }
  try {
    patch ??= installPatch();
  } catch (error) {
    warn(error);
    return () => {};
  }
  subscribers.set(target, (subscribers.get(target) ?? 0) + 1);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    const remaining = (subscribers.get(target) ?? 1) - 1;
    if (remaining > 0) subscribers.set(target, remaining);
    else subscribers.delete(target);
    if (subscribers.size === 0 && patch) {
      const current = patch;
      patch = undefined;
      current.remove();
    }
  };
}
