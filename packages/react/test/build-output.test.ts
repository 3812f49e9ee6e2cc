import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const dist = new URL('../dist/', import.meta.url);

it("keeps 'use client' at the top of every built module (React Server Components need it)", () => {
  const files = readdirSync(dist).filter((file) => file.endsWith('.js'));
  expect(files).toContain('index.js');
  for (const file of files) expect(readFileSync(new URL(file, dist), 'utf8').startsWith("'use client';"), file).toBe(true);
});

it('imports in Node without a window (a server render imports it)', async () => {
  expect(typeof window).toBe('undefined');
  const react = await import('@attune/react');
  expect(Object.keys(react).sort()).toEqual(['AttuneProvider', 'AttuneSlot', 'useAttune', 'useConsent', 'useDecision', 'useProfile', 'useRecommendations']);
});
