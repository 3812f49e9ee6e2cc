import { describe, expect, it } from 'vitest';
import { isoTimestamp } from '../../src/events/iso-timestamp.js';
import { prng } from '../../../../bench/prng.mjs';

const iso = (ms: number) => new Date(ms).toISOString();

describe('isoTimestamp', () => {
  it('equals Date#toISOString for a burst of times within one second and across seconds', () => {
    const t0 = Date.UTC(2026, 10, 23, 23, 59, 58, 990);
    for (let ms = t0; ms < t0 + 2_500; ms += 7) {
      expect(isoTimestamp(ms)).toBe(iso(ms));
      expect(isoTimestamp(ms)).toBe(iso(ms));
      expect(isoTimestamp(ms - 1)).toBe(iso(ms - 1));
    }
  });

  it('equals Date#toISOString for random times between 1970 and 2100, in any order', () => {
    const random = prng(3);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(random() * Date.UTC(2100, 0, 1));
      expect(isoTimestamp(ms)).toBe(iso(ms));
      expect(isoTimestamp(ms + 1)).toBe(iso(ms + 1));
    }
  });

  it('equals Date#toISOString for fractional, negative, extended-year and boundary times', () => {
    for (const ms of [0, -0, 0.5, 1.999, -1, -1_000, -1_001, 999, 1_000, 1_000.75, Date.UTC(10_000, 0, 1), Date.UTC(10_000, 0, 1) + 1, Date.UTC(-1, 0, 1), 8.64e15, -8.64e15]) {
      expect(isoTimestamp(ms)).toBe(iso(ms));
    }
  });

  it('throws the same RangeError as Date#toISOString for invalid times', () => {
    for (const ms of [NaN, Infinity, 8.64e15 + 1]) expect(() => isoTimestamp(ms)).toThrow(RangeError);
  });
});
