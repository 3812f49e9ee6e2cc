/**
 * Runs `flush` only if no other tab of this origin is flushing (Web Locks API), so queued events
 * are sent by exactly one tab at a time. Returns false when another tab holds the lock; that tab
 * drains the shared queue, and the caller simply tries again later. Without Web Locks every tab
 * flushes; delivery stays at-least-once and collectors drop duplicates by id.
 */
export async function withFlushLock(name: string, flush: () => Promise<void>): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks || typeof locks.request !== 'function') {
    await flush();
    return true;
  }
  return locks.request(name, { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await flush();
    return true;
  });
}
