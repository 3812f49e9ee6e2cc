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
/** Activity is written back at most this often: the 30-minute rule needs no finer grain. */
const WRITE_EVERY_MS = 5_000;

export function createSessionTracker(env: AttuneEnvironment, newId: () => string) {
  let current: StoredSession | undefined;
  let writtenAtMs = -Infinity;

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
    /** `now`: the clock when the caller has just read it. */
    touch(now: number = env.now()): string {
      // Storage is read only when it can matter (first use, or our session looks expired: another
      // tab may have kept it alive), keeping track() cheap.
      if (!current || now - current.lastActivityMs > SESSION_TIMEOUT_MS - WRITE_EVERY_MS) {
        const stored = read();
        if (stored && (!current || stored.lastActivityMs > current.lastActivityMs)) current = stored;
      }
      const started = !current || now - current.lastActivityMs > SESSION_TIMEOUT_MS;
      current = started ? { id: newId(), lastActivityMs: now } : { id: current!.id, lastActivityMs: Math.max(now, current!.lastActivityMs) };
      if (started || now - writtenAtMs >= WRITE_EVERY_MS) {
        writtenAtMs = now;
        try {
          env.storage?.setItem(STORAGE_KEY, JSON.stringify(current));
        } catch {
          // Storage full or blocked: the session still holds for this page.
        }
      }
      return current.id;
    },
    /** The current session id without extending it; '' when there is none or it has expired. */
    peek(): string {
      return current && env.now() - current.lastActivityMs <= SESSION_TIMEOUT_MS ? current.id : '';
    },
    /** Forgets the session (consent withdrawn). */
    clear(): void {
      current = undefined;
      writtenAtMs = -Infinity;
      try {
        env.storage?.removeItem(STORAGE_KEY);
      } catch {
        // Nothing stored.
      }
    },
  };
}
