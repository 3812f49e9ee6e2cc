import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AttuneEvent } from '../../../src/events/event.js';

const GOLDEN = join(import.meta.dirname, 'golden');
/** The fixture events (fixed ids and timestamps). */
export const FIXTURES = JSON.parse(readFileSync(join(GOLDEN, 'events.json'), 'utf8')) as AttuneEvent[];

/** The fixed send time of every golden request. */
export const SENT_AT = '2026-11-23T12:02:00.000Z';

/** A fixture event (fixed ids and timestamps) with some fields replaced. */
export function event(index: number, overrides: Partial<AttuneEvent> = {}): AttuneEvent {
  const base = FIXTURES[index];
  if (!base) throw new Error(`no fixture event ${index}`);
  return { ...structuredClone(base), ...overrides };
}

/** Compares with golden/<name>.json; `UPDATE_GOLDEN=1` rewrites the file instead (review the diff). */
export function expectGolden(name: string, actual: unknown): void {
  const file = join(GOLDEN, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
