import { describe, expect, it } from 'vitest';
import { markSeen } from '../../src/profile/seen-ids.js';
import { prng } from '../../../../bench/prng.mjs';

describe('markSeen', () => {
  it('accepts ids in increasing order and refuses each one a second time', () => {
    const seen: string[] = [];
    expect(['a1', 'a2', 'a3'].map((id) => markSeen(seen, id, 10))).toEqual([true, true, true]);
    expect(['a1', 'a2', 'a3'].map((id) => markSeen(seen, id, 10))).toEqual([false, false, false]);
    expect(seen).toEqual(['a1', 'a2', 'a3']);
  });

  it('refuses an older id after newer ones were accepted since its last check', () => {
    const seen: string[] = [];
    markSeen(seen, 'b', 10);
    markSeen(seen, 'c', 10);
    expect(markSeen(seen, 'a', 10)).toBe(true);
    markSeen(seen, 'd', 10);
    markSeen(seen, 'e', 10);
    expect(markSeen(seen, 'a', 10)).toBe(false);
    expect(markSeen(seen, 'd', 10)).toBe(false);
  });

  it('agrees with a plain set of the remembered ids on a random stream with repeats', () => {
    const random = prng(11);
    const seen: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const id = `id${Math.floor(random() * 300)}`;
      const expected = !seen.includes(id);
      expect(markSeen(seen, id, 100)).toBe(expected);
      expect(seen.length).toBeLessThanOrEqual(100 + 100 / 8 + 1);
    }
  });

  it('forgets the oldest ids once over the cap, in batches of an eighth of it', () => {
    const seen: string[] = [];
    for (let i = 10; i < 28; i++) markSeen(seen, `id${i}`, 16);
    expect(seen).toHaveLength(18);
    markSeen(seen, 'id28', 16);
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => `id${i + 13}`));
    expect(markSeen(seen, 'id10', 16)).toBe(true);
    expect(markSeen(seen, 'id13', 16)).toBe(false);
  });

  it('sees ids put into the array by something else (a load, a merge)', () => {
    const seen = ['x9', 'x1'];
    expect(markSeen(seen, 'x1', 10)).toBe(false);
    expect(markSeen(seen, 'x5', 10)).toBe(true);
    seen.push('z0');
    expect(markSeen(seen, 'z0', 10)).toBe(false);
    expect(markSeen(structuredClone(seen), 'x5', 10)).toBe(false);
  });
});
