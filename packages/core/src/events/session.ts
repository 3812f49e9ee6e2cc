import type { AttuneEnvironment } from '../environment.js';

/** A session ends after 30 minutes without events (the common analytics rule). */
export const SESSION_TIMEOUT_MS = 30 * 60_000;
const STORAGE_KEY = 'attune.session.v1';

interface StoredSession {
  id: string;
  lastActivityMs: number;
}

/**
 * Tracks the session id across page views (in storage, only written after consent). `touch()`
 * returns the current id, starting a new session after SESSION_TIMEOUT_MS of inactivity.
 */
export function createSessionTracker(env: AttuneEnvironment, newId: () => string) {
  let current: StoredSession | undefined;

  function read(): StoredSession | undefined {
    try {
      const parsed: unknown = JSON.parse(env.storage?.getItem(STORAGE_KEY) ?? 'null');
      if (parsed && typeof parsed === 'object' && typeof (parsed as StoredSession).id === 'string' && typeof (parsed as StoredSession).lastActivityMs === 'number') {
        return parsed as StoredSession;
      }
    } catch {
      // A corrupt record starts a new session.
    }
    return undefined;
  }

  return {
    touch(): string {
      const now = env.now();
      // Another tab may have moved the session on: the stored record wins when it is newer.
      const stored = read();
      if (stored && (!current || stored.lastActivityMs > current.lastActivityMs)) current = stored;
      if (!current || now - current.lastActivityMs > SESSION_TIMEOUT_MS) current = { id: newId(), lastActivityMs: now };
      else current = { id: current.id, lastActivityMs: Math.max(now, current.lastActivityMs) };
      try {
        env.storage?.setItem(STORAGE_KEY, JSON.stringify(current));
      } catch {
        // Storage full or blocked: the session still holds for this page.
      }
      return current.id;
    },
    /** Forgets the session (consent withdrawn). */
    clear(): void {
      current = undefined;
      try {
        env.storage?.removeItem(STORAGE_KEY);
      } catch {
        // Nothing stored.
      }
    },
  };
}
