// Collector events for the tests of the events commands: envelopes as the dev collector stores
// them, redelivered copies, and a DuckDB of the test's own to run the printed warehouse SQL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { runAttune } from './run-cli.js';

export type Properties = Record<string, unknown>;

export interface StoredEvent {
  id: string;
  type: string;
  name: string;
  timestamp: string;
  anonymousId: string;
  sessionId: string;
  properties: Properties;
  consent: string[];
  format: string;
}

export const T0 = Date.parse('2026-11-23T12:00:00.000Z');
export const MINUTE = 60_000;

/** Makes events with unique ids (as the SDK's UUIDv7 would be) in the dev collector's record shape. */
export function eventMaker(): (name: string, visitor: string, session: string, properties: Properties, at: number) => StoredEvent {
  let count = 0;
  return (name, visitor, session, properties, at) => ({
    id: `019ab1c2-0000-7000-8000-${String(++count).padStart(12, '0')}`,
    type: name === 'page_view' ? 'page' : 'track',
    name,
    timestamp: new Date(at).toISOString(),
    anonymousId: visitor,
    sessionId: session,
    properties,
    consent: ['analytics', 'personalization'],
    format: 'json',
  });
}

/** The events with a copy of every `every`-th one appended (at-least-once delivery: same id, same body). */
export const withRedeliveries = (events: StoredEvent[], every = 3): StoredEvent[] => [...events, ...events.filter((_, i) => i % every === 0)];

/** Writes events as NDJSON (one JSON object per line) and returns the path. */
export function writeNdjson(dir: string, name: string, events: readonly object[]): string {
  const file = join(dir, name);
  writeFileSync(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  return file;
}

/**
 * Runs SQL printed by --print-sql in a fresh DuckDB over `file` as a warehouse would hold it: the
 * documented event columns, mapped here by the test itself, every delivery kept (duplicates too),
 * and `attune_catalog(item_id)` when `catalog` is given. Returns the rows of each statement.
 */
export async function runPrintedSql(sql: string, file: string, catalog?: readonly string[]): Promise<Record<string, unknown>[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE attune_events AS
      SELECT id, name, CAST("timestamp" AS TIMESTAMPTZ) AS event_time, "anonymousId" AS anonymous_id,
             "userId" AS user_id, "sessionId" AS session_id, properties
      FROM read_json('${file}', format = 'newline_delimited',
        columns = {id: 'VARCHAR', name: 'VARCHAR', timestamp: 'VARCHAR', anonymousId: 'VARCHAR', userId: 'VARCHAR',
                   sessionId: 'VARCHAR', properties: 'JSON'})`);
    if (catalog) {
      await connection.run('CREATE TABLE attune_catalog (item_id VARCHAR)');
      for (const id of catalog) await connection.run(`INSERT INTO attune_catalog VALUES ('${id}')`);
    }
    const statements = await connection.extractStatements(sql);
    const results: Record<string, unknown>[][] = [];
    for (let index = 0; index < statements.count; index++) {
      const result = await (await statements.prepare(index)).runAndReadAll();
      results.push(result.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))));
    }
    return results;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A refused command: exit code 1, the message, no stack trace, and the bundle untouched. */
export function expectRefusal(result: ReturnType<typeof runAttune>, bundle: string, before: string, message: RegExp): void {
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(readFileSync(bundle, 'utf8')).toBe(before);
}
