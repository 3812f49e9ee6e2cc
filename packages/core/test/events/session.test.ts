import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../src/environment.js';
import { createSessionTracker, SESSION_TIMEOUT_MS } from '../../src/events/session.js';
import { memoryStorage } from '../support.js';

function tracker(storage = memoryStorage()) {
  let now = 1_000_000;
  let n = 0;
  const env = resolveEnvironment({ now: () => now, storage });
  return { sessions: createSessionTracker(env, () => `s${++n}`), advance: (ms: number) => (now += ms), storage };
}

describe('sessions', () => {
  it('keeps the session while events keep coming within 30 minutes', () => {
    const { sessions, advance } = tracker();
    const first = sessions.touch();
    advance(SESSION_TIMEOUT_MS - 1);
    expect(sessions.touch()).toBe(first);
    advance(SESSION_TIMEOUT_MS - 1);
    expect(sessions.touch()).toBe(first);
  });

  it('starts a new session after 30 minutes without events', () => {
    const { sessions, advance } = tracker();
    const first = sessions.touch();
    advance(SESSION_TIMEOUT_MS + 1);
    expect(sessions.touch()).not.toBe(first);
  });

  it('continues the session on the next page view (stored)', () => {
    const storage = memoryStorage();
    const first = tracker(storage).sessions.touch();
    expect(tracker(storage).sessions.touch()).toBe(first);
  });

  it('forgets the session when cleared', () => {
    const { sessions, storage } = tracker();
    const first = sessions.touch();
    sessions.clear();
    expect(storage.entries.size).toBe(0);
    expect(sessions.touch()).not.toBe(first);
  });
});
