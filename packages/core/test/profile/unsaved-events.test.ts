import { describe, expect, it } from 'vitest';
import type { ProfileEventInput } from '../../src/profile/profile-data.js';
import { createUnsavedEvents } from '../../src/profile/unsaved-events.js';
import { memoryStorage } from '../support.js';

const event = (id: string): ProfileEventInput => ({ id, name: 'product_viewed', timestampMs: 1_000, sessionId: 's', properties: { product_id: id } });

describe('the last profile events, kept for the next page', () => {
  it('saves the last 16 events of the visitor and gives them back once, to the same visitor', () => {
    const storage = memoryStorage();
    const unsaved = createUnsavedEvents(storage);
    for (let i = 0; i < 20; i++) unsaved.add('anon-1|null', event(`e${i}`));
    unsaved.save('anon-1|null');
    const next = createUnsavedEvents(storage);
    expect(next.take('anon-1|null').map((e) => e.id)).toEqual(Array.from({ length: 16 }, (_, i) => `e${i + 4}`));
    expect(next.take('anon-1|null')).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });

  it('gives nothing to another visitor, and removes them', () => {
    const storage = memoryStorage();
    const unsaved = createUnsavedEvents(storage);
    unsaved.add('anon-1|null', event('e1'));
    unsaved.save('anon-1|null');
    expect(createUnsavedEvents(storage).take('anon-2|null')).toEqual([]);
    expect(storage.entries.size).toBe(0);
  });

  it('starts a new list when the visitor changes, and saves nothing for a visitor without events', () => {
    const storage = memoryStorage();
    const unsaved = createUnsavedEvents(storage);
    unsaved.add('anon-1|null', event('before-reset'));
    unsaved.save('anon-2|null');
    expect(storage.entries.size).toBe(0);
    unsaved.add('anon-2|null', event('after-reset'));
    unsaved.save('anon-2|null');
    expect(createUnsavedEvents(storage).take('anon-2|null').map((e) => e.id)).toEqual(['after-reset']);
  });

  it('forgets them when cleared (consent withdrawn)', () => {
    const storage = memoryStorage();
    const unsaved = createUnsavedEvents(storage);
    unsaved.add('anon-1|null', event('e1'));
    unsaved.save('anon-1|null');
    unsaved.clear();
    expect(storage.entries.size).toBe(0);
    unsaved.save('anon-1|null');
    expect(storage.entries.size).toBe(0);
  });

  it('ignores a saved value that is not its own JSON, and storage that throws', () => {
    const storage = memoryStorage();
    storage.setItem('attune.unsaved.v1', '{not json');
    expect(createUnsavedEvents(storage).take('anon-1|null')).toEqual([]);
    const blocked = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); }, removeItem: () => { throw new Error('blocked'); } };
    const unsaved = createUnsavedEvents(blocked);
    unsaved.add('anon-1|null', event('e1'));
    expect(() => unsaved.save('anon-1|null')).not.toThrow();
    expect(unsaved.take('anon-1|null')).toEqual([]);
    expect(() => unsaved.clear()).not.toThrow();
  });
});
