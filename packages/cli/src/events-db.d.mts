// Types of events-db.mjs, for the TypeScript tests that import it.
import type { DuckDBConnection } from '@duckdb/node-api';

export const EVENTS_TABLE: 'attune_events';
export const EVENT_COLUMNS: ReadonlyArray<readonly [column: string, field: string, type: string]>;
export interface EventsDatabase {
  connection: DuckDBConnection;
  all(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}
export function openEventsDatabase(): Promise<EventsDatabase>;
export function loadEvents(
  db: EventsDatabase,
  sources: readonly string[],
  options?: { stdin?: NodeJS.ReadableStream; tolerant?: boolean },
): Promise<{ events: number; duplicates: number; malformed?: { count: number; lines: { file: string; line: number; problem: string }[] } }>;
