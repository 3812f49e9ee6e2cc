import { useSyncExternalStore } from 'react';

// A router of a few lines: the History API, and one event to re-render on navigation.
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
};

/** The current path and query, re-rendered on navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, () => location.pathname + location.search);
}

/** Goes to `url` without a page load; `onNavigate` runs before the new page renders. */
export function navigate(url: string, onNavigate?: () => void): void {
  history.pushState(null, '', url);
  onNavigate?.();
  for (const listener of listeners) listener();
}
