/**
 * Watches the page being left: hidden (a page being left is hidden first, whatever leaves it) or
 * `pagehide`. Calls `leave` then; `leaving()` stays true until the page is shown again. Listens
 * on `page`, the document of the page that made the client (not whatever `document` is later).
 */
export function watchPageLeave(page: Document | undefined, leave: () => void, leavingAtStart = false) {
  let leaving = leavingAtStart;
  const onLeave = (): void => {
    leaving = true;
    leave();
  };
  const onVisibility = (): void => {
    if (page?.visibilityState === 'hidden') onLeave();
    else leaving = false;
  };
  page?.addEventListener?.('visibilitychange', onVisibility);
  globalThis.addEventListener?.('pagehide', onLeave);
  return {
    leaving: (): boolean => leaving,
    /** Stops listening; `leaving()` is false from now on. */
    stop(): void {
      page?.removeEventListener?.('visibilitychange', onVisibility);
      globalThis.removeEventListener?.('pagehide', onLeave);
      leaving = false;
    },
  };
}
