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
    const unsaved = createUnsavedEvents(storage, () => 'anon-1', () => true);
    for (let i = 0; i < 20; i++) unsaved.add(event(`e${i}`));
    expect(storage.entries.size).toBe(0);
    hide();
    const next = createUnsavedEvents(storage, () => 'anon-1', () => true);
    expect(next.take().map((e) => e.id)).toEqual(Array.from({ length: 16 }, (_, i) => `e${i + 4}`));
    expect(next.take()).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });

  it('gives nothing to another visitor, and removes them', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    createUnsavedEvents(storage, () => 'anon-1', () => true).add(event('e1'));
    hide();
    expect(createUnsavedEvents(storage, () => 'anon-2', () => true).take()).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });

  it('starts a new list when the visitor changes (reset, sign-in)', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    let visitor = 'anon-1';
    const unsaved = createUnsavedEvents(storage, () => visitor, () => true);
    unsaved.add(event('before-reset'));
    visitor = 'anon-2';
    hide();
    expect(storage.entries.size).toBe(0);
    unsaved.add(event('after-reset'));
    hide();
    expect(createUnsavedEvents(storage, () => 'anon-2', () => true).take().map((e) => e.id)).toEqual(['after-reset']);
  });

  it('saves nothing without consent to keep the profile, and forgets what was saved when cleared', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    let allowed = false;
    const unsaved = createUnsavedEvents(storage, () => 'anon-1', () => allowed);
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
    const unsaved = createUnsavedEvents(storage, () => 'anon-1', () => true);
    unsaved.add(event('e1'));
    unsaved.stop();
    hide();
    expect(storage.entries.size).toBe(0);
  });

  it('ignores a saved value that is not its own JSON, and storage that throws', () => {
    const hide = hiddenOnDemand();
    const storage = memoryStorage();
    storage.setItem('attune.unsaved.v1', '{not json');
    expect(createUnsavedEvents(storage, () => 'anon-1', () => true).take()).toEqual([]);
    const blocked = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); }, removeItem: () => { throw new Error('blocked'); } };
    const unsaved = createUnsavedEvents(blocked, () => 'anon-1', () => true);
    unsaved.add(event('e1'));
    expect(() => hide()).not.toThrow();
    expect(unsaved.take()).toEqual([]);
  });
});
