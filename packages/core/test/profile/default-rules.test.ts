import { expect, it } from 'vitest';
import { DEFAULT_PROFILE_RULES } from '../../src/index.js';

it('exports the profile defaults docs/profile.md documents as DEFAULT_PROFILE_RULES', () => {
  expect(DEFAULT_PROFILE_RULES).toMatchObject({ recentCap: 100, recentTtlMs: 30 * 86_400_000, maxEventNames: 200, seenIds: 500 });
  expect(Object.keys(DEFAULT_PROFILE_RULES).sort()).toEqual(['affinities', 'items', 'maxEventNames', 'purchases', 'recentCap', 'recentTtlMs', 'seenIds']);
});
