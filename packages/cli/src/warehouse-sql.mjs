// What the SQL of `attune recs build` and `attune bandit update` shares. The commands run these
// statements in DuckDB over the loaded events and print them for a warehouse (--print-sql), so
// what a team runs at scale is the query the CLI's answer comes from.

/** The table the queries read: the event columns (events-db.mjs). */
export const EVENTS_TABLE = 'attune_events';

/** A string as an SQL literal (standard quoting: ' doubled). */
export const sqlString = (value) => `'${String(value).replaceAll("'", "''")}'`;

/** Ends the lines a BigQuery or Snowflake user changes (the header says to what). */
export const DIALECT = '-- [dialect]';

/** The text of a property of the JSON column `properties`, in DuckDB and PostgreSQL syntax. */
export const property = (key) => `properties ->> ${sqlString(key)}`;

/** Milliseconds since the epoch, so time windows are integer arithmetic in every dialect. */
export const EPOCH_MS = 'CAST(EXTRACT(EPOCH FROM event_time) * 1000 AS BIGINT)';

/**
 * The printed form: a header naming the parameters, the tables and the lines to change for other
 * warehouses, then each statement with its comment. `statements` are `[comment, sql]`.
 */
export function printableSql(title, parameters, key, statements) {
  const header = [
    `-- ${title}`,
    `-- Parameters: ${parameters}.`,
    '--',
    '-- Portable SQL: runs as printed in DuckDB and PostgreSQL (properties json or jsonb, event_time',
    '-- timestamptz). It reads attune_events, the event columns (id, name, event_time, anonymous_id,',
    '-- user_id, session_id, properties) as the CLI loads them from the collector\'s NDJSON: rename it',
    '-- to your events table. For BigQuery or Snowflake, change the lines marked [dialect]:',
    `--   properties ->> ${sqlString(key)}: BigQuery JSON_VALUE(properties, '$.${key}'), Snowflake`,
    `--     properties:${key}::STRING (the same for every property read)`,
    '--   CAST(EXTRACT(EPOCH FROM event_time) * 1000 AS BIGINT): BigQuery UNIX_MILLIS(event_time),',
    '--     Snowflake DATE_PART(EPOCH_MILLISECOND, event_time)',
    '-- Avoided for portability: QUALIFY, DISTINCT ON, FILTER (WHERE ...), :: casts, INTERVAL',
    '-- arithmetic, double-quoted identifiers, GROUP BY aliases or ordinals, integer division, LIMIT.',
  ];
  return [header.join('\n'), ...statements.map(([comment, sql]) => `-- ${comment}\n${sql};`)].join('\n\n') + '\n';
}
