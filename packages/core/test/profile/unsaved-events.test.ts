import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';
import { createUnsavedEvents } from '../../src/profile/unsaved-events.js';
import { hiddenOnDemand, memoryStorage } from '../support.js';

const event = (id: string): ProfileEventInput => ({ id, name: 'product_viewed', timestampMs: 1_000, sessionId: 's', properties: { product_id: id } });

afterEach(() => vi.unstubAllGlobals());

describe('the last profile events, kept for the next page', () => {
  it('saves the last 16 events of the visitor when the page is hidden and gives them back once, to the same visitor', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    const unsaved = createUnsavedEvents(storage, () => ({ anonymousId: 'anon-1', userId: null }), () => true);
    for (let i = 0; i < 20; i++) unsaved.add(event(`e${i}`));
    expect(storage.entries.size).toBe(0);
    hide();
    const next = createUnsavedEvents(storage, () => ({ anonymousId: 'anon-1', userId: null }), () => true);
    expect(next.take().map((e) => e.id)).toEqual(Array.from({ length: 16 }, (_, i) => `e${i + 4}`));
    expect(next.take()).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });

  it('gives nothing to another visitor, and removes them', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    createUnsavedEvents(storage, () => ({ anonymousId: 'anon-1', userId: null }), () => true).add(event('e1'));
    hide();
    expect(createUnsavedEvents(storage, () => ({ anonymousId: 'anon-2', userId: null }), () => true).take()).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });

  it('starts a new list when the visitor changes (reset, sign-in)', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    // As the profile does: a new identity object whenever the ids change.
    let visitor: { anonymousId: string | null; userId: string | null } = { anonymousId: 'anon-1', userId: null };
    const unsaved = createUnsavedEvents(storage, () => visitor, () => true);
    unsaved.add(event('before-reset'));
    visitor = { anonymousId: 'anon-2', userId: null };
    hide();
    expect(storage.entries.size).toBe(0);
    unsaved.add(event('after-reset'));
    hide();
    expect(createUnsavedEvents(storage, () => ({ anonymousId: 'anon-2', userId: null }), () => true).take().map((e) => e.id)).toEqual(['after-reset']);

    // Signing in keeps the anonymous id but is another visitor too.
    unsaved.add(event('anonymous'));
    visitor = { anonymousId: 'anon-2', userId: 'jane' };
    unsaved.add(event('signed-in'));
    hide();
    expect(createUnsavedEvents(storage, () => ({ anonymousId: 'anon-2', userId: 'jane' }), () => true).take().map((e) => e.id)).toEqual(['signed-in']);
  });

  it('keeps exactly the last 16 however many events came (one visitor object throughout)', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    const visitor = { anonymousId: 'anon-1', userId: null };
    const unsaved = createUnsavedEvents(storage, () => visitor, () => true);
    for (const count of [1, 16, 17, 33, 100]) {
      for (let i = 0; i < count; i++) unsaved.add(event(`${count}-${i}`));
      hide();
      const saved = createUnsavedEvents(storage, () => visitor, () => true).take().map((e) => e.id);
      expect(saved).toEqual(Array.from({ length: Math.min(count, 16) }, (_, i) => `${count}-${count - Math.min(count, 16) + i}`));
    }
  });

  it('saves nothing without consent to keep the profile, and forgets what was saved when cleared', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    let allowed = false;
    const unsaved = createUnsavedEvents(storage, () => ({ anonymousId: 'anon-1', userId: null }), () => allowed);
    unsaved.add(event('e1'));
    hide();
    expect(storage.entries.size).toBe(0);
    allowed = true;
    hide();
    expect(storage.entries.size).toBe(1);
    unsaved.clear();
    expect(storage.entries.size).toBe(0);
  });

  it('stops listening when stopped', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    const unsaved = createUnsavedEvents(storage, () => ({ anonymousId: 'anon-1', userId: null }), () => true);
    unsaved.add(event('e1'));
    unsaved.stop();
    hide();
    expect(storage.entries.size).toBe(0);
  });

  it('ignores a saved value that is not its own JSON, and storage that throws', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    storage.setItem('attune.unsaved.v1', '{not json');
    expect(createUnsavedEvents(storage, () => ({ anonymousId: 'anon-1', userId: null }), () => true).take()).toEqual([]);
    const blocked = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); }, removeItem: () => { throw new Error('blocked'); } };
    const unsaved = createUnsavedEvents(blocked, () => ({ anonymousId: 'anon-1', userId: null }), () => true);
    unsaved.add(event('e1'));
    expect(() => hide()).not.toThrow();
    expect(unsaved.take()).toEqual([]);
  });
});
