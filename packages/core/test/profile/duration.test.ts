import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/profile/duration.js';

describe('parseDuration', () => {
  it.each([
    ['45s', 45_000],
    ['30m', 30 * 60_000],
    ['2h', 2 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['365d', 365 * 86_400_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['0d', '-1d', '1.5d', '7', 'd', '7x', '7D', ' 7d', '7d ', '', '1e3s', '99999999999999w'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([7, 7 * 86_400_000, null, undefined, {}, ['7d']])('rejects the non-string %j', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });
});
