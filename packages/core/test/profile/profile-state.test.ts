import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE_RULES, type ProfileEventInput } from '../../src/profile/profile-data.js';
import { createProfileState, emptyStoredProfile, type StoredProfile } from '../../src/profile/profile-state.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const viewed = (id: string, properties: Record<string, unknown> = { product_id: 'p1', category: 'shoes' }): ProfileEventInput => ({
  id,
  name: 'product_viewed',
  timestampMs: NOW,
  sessionId: 's1',
  properties,
});

/** Why the profile was started afresh, in order (what the client reports as profile-invalid). */
let healed: unknown[] = [];

function loaded(patch: (profile: StoredProfile) => void): ReturnType<typeof createProfileState> {
  healed = [];
  const state = createProfileState(DEFAULT_PROFILE_RULES, (error) => healed.push(error));
  const stored = { ...emptyStoredProfile(), anonymousId: 'anon-1', userId: 'user-1', traits: { plan: 'pro' } };
  patch(stored);
  state.load(stored, NOW);
  return state;
}

describe('a stored profile that cannot be read', () => {
  it('starts afresh with the same ids when building the snapshot fails', () => {
    const state = loaded((profile) => void ((profile.data as unknown as Record<string, unknown>).viewed = [null]));
    const snapshot = state.get(NOW);
    expect(snapshot).toMatchObject({ anonymousId: 'anon-1', userId: 'user-1', viewed: [], traits: {} });
    expect(healed).toHaveLength(1);
    expect(healed[0]).toBeInstanceOf(TypeError);
  });

  it('starts afresh when applying an event to it fails, and applies the event', () => {
    const state = loaded((profile) => void ((profile.data as unknown as Record<string, unknown>).seen = 5));
    expect(state.apply(viewed('e1'))).toBe(true);
    expect(state.get(NOW)).toMatchObject({ anonymousId: 'anon-1', counters: { product_viewed: 1 }, viewed: ['p1'] });
    // Once: the fresh profile is readable.
    expect(healed).toHaveLength(1);
  });

  it('starts afresh when compacting it on load fails', () => {
    const state = loaded((profile) => void (profile.data.events['product_viewed'] = { count: 'x', minutes: 5 } as never));
    expect(state.get(NOW).counters).toEqual({});
    expect(state.stored().anonymousId).toBe('anon-1');
    expect(healed).toHaveLength(1);
  });

  it('keeps a readable profile when the event itself cannot be applied', () => {
    const state = loaded(() => {});
    state.apply(viewed('e1'));
    expect(() => state.apply(viewed('e2', null as never))).toThrow();
    // Not started afresh: the earlier event and the traits are still there.
    expect(state.get(NOW).counters['product_viewed']).toBeGreaterThanOrEqual(1);
    expect(state.get(NOW).traits).toEqual({ plan: 'pro' });
    // Nothing was started afresh, so nothing is reported.
    expect(healed).toEqual([]);
  });

  it('reports nothing for a readable profile', () => {
    const state = loaded(() => {});
    state.apply(viewed('e1'));
    state.get(NOW);
    expect(healed).toEqual([]);
  });
});
