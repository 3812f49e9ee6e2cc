// The SQL of `attune report`: per experiment and variant, the exposed units (each counted once,
// in the variant of its first exposure), how many converted on a goal within the attribution
// window after that exposure, and their revenue. Only these aggregates leave the database; the
// statistics run on them (report-stats.mjs).
import { EXPOSURE_EVENT } from './bandit-sql.mjs';
import { DIALECT, EPOCH_MS, EVENTS_TABLE, printableSql, property, sqlString } from './warehouse-sql.mjs';

/**
 * What differs between the warehouses the report's SQL runs on: reading a JSON property as text
 * (null when absent), the event time in epoch milliseconds, a text as a number (null when it is not
 * one; ClickHouse reads JSON numbers only), string literals, and the marker on the lines that differ (the portable print only).
 * The event columns are the documented ones (docs/cli.md "Loading events"): `properties` JSON (BigQuery
 * JSON or STRING, Snowflake VARIANT, ClickHouse String), `event_time` a timestamp (ClickHouse
 * DateTime64).
 */
export const DIALECTS = {
  duckdb: { property: (key) => `(${property(key)})`, epochMs: EPOCH_MS, number: (key) => `TRY_CAST(${property(key)} AS DOUBLE)`, string: sqlString, marker: ` ${DIALECT}` },
  bigquery: {
    property: (key) => `JSON_VALUE(properties, '$."${String(key).replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('"', '\\"')}"')`,
    epochMs: 'UNIX_MILLIS(event_time)',
    number: (key) => `SAFE_CAST(${DIALECTS.bigquery.property(key)} AS FLOAT64)`,
    string: (value) => `'${String(value).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
    marker: '',
  },
  snowflake: {
    property: (key) => `properties:"${String(key).replaceAll('"', '""')}"::STRING`,
    epochMs: 'DATE_PART(EPOCH_MILLISECOND, event_time)',
    number: (key) => `TRY_TO_DOUBLE(${DIALECTS.snowflake.property(key)})`,
    string: sqlString,
    marker: '',
  },
  clickhouse: {
    property: (key) => `nullIf(JSONExtractString(properties, ${sqlString(key)}), '')`,
    epochMs: 'toUnixTimestamp64Milli(event_time)',
    number: (key) => `JSONExtract(properties, ${sqlString(key)}, 'Nullable(Float64)')`,
    string: sqlString,
    marker: '',
  },
};

/**
 * A goal: an event name, optionally with one property that must equal a value
 * (`purchase`, `signup:plan=pro`).
 */
export function parseGoal(text) {
  const match = /^([^:=]+)(?::([^=]+)=(.*))?$/.exec(text ?? '');
  if (!match) return undefined;
  const [, name, key, value] = match;
  return key === undefined ? { name, text } : { name, key, value, text };
}

/**
 * One statement for one goal: `experiment, variant, units, conversions, revenue, revenue_squares,
 * crossed` (units also exposed to another variant of the experiment later: counted in their first).
 * `unit` is the unit column (anonymous_id or user_id), `windowMs` the attribution window.
 */
export function goalStatement({ goal, windowMs, revenueProperty, unit = 'anonymous_id', dialect = 'duckdb' }, byDay = false) {
  const { property: prop, epochMs, number, string, marker } = DIALECTS[dialect];
  // By day: the same counts per day (UTC) of the units' first exposure, for the report's charts over time.
  const day = byDay ? ', FLOOR(exposed_ms / 86400000) AS day' : '';
  const dayGroup = byDay ? ', FLOOR(exposed_ms / 86400000)' : '';
  const filter = goal.key === undefined ? '' : `\n    AND ${prop(goal.key)} = ${string(goal.value)}${marker}`;
  return `WITH exposures AS (
  SELECT ${unit} AS unit_id, ${epochMs} AS event_ms,${marker}
         ${prop('experiment')} AS experiment,${marker}
         ${prop('variant')} AS variant${marker}
  FROM ${EVENTS_TABLE}
  WHERE name = ${string(EXPOSURE_EVENT)}
    AND ${unit} IS NOT NULL AND event_time IS NOT NULL
    AND ${prop('experiment')} IS NOT NULL AND ${prop('variant')} IS NOT NULL${marker}
),
firsts AS (
  SELECT experiment, unit_id, MIN(event_ms) AS exposed_ms, COUNT(DISTINCT variant) AS variants
  FROM exposures
  GROUP BY experiment, unit_id
),
units AS (
  -- Each unit once, in the variant of its first exposure.
  SELECT f.experiment, f.unit_id, f.exposed_ms, f.variants, MIN(e.variant) AS variant
  FROM firsts f
  JOIN exposures e ON e.experiment = f.experiment AND e.unit_id = f.unit_id AND e.event_ms = f.exposed_ms
  GROUP BY f.experiment, f.unit_id, f.exposed_ms, f.variants
),
goals AS (
  SELECT ${unit} AS unit_id, ${epochMs} AS event_ms,${marker}
         COALESCE(${number(revenueProperty)}, 0) AS revenue${marker}
  FROM ${EVENTS_TABLE}
  WHERE name = ${string(goal.name)} AND ${unit} IS NOT NULL AND event_time IS NOT NULL${filter}
),
outcomes AS (
  -- A goal counts from the unit's first exposure until the window ends.
  SELECT u.experiment, u.variant, u.unit_id, u.variants, u.exposed_ms,
         MAX(CASE WHEN g.unit_id IS NULL THEN 0 ELSE 1 END) AS converted,
         COALESCE(SUM(g.revenue), 0) AS revenue
  FROM units u
  LEFT JOIN goals g ON g.unit_id = u.unit_id AND g.event_ms >= u.exposed_ms AND g.event_ms <= u.exposed_ms + ${windowMs}
  GROUP BY u.experiment, u.variant, u.unit_id, u.variants, u.exposed_ms
)
SELECT ${string(goal.text)} AS goal, experiment, variant${day}, COUNT(*) AS units, SUM(converted) AS conversions,
       SUM(revenue) AS revenue, SUM(revenue * revenue) AS revenue_squares,
       SUM(CASE WHEN variants > 1 THEN 1 ELSE 0 END) AS crossed
FROM outcomes
GROUP BY experiment, variant${dayGroup}
ORDER BY experiment, variant${dayGroup}`;
}

/**
 * The statements as printed for a warehouse: `--print-sql` (portable, DuckDB and PostgreSQL, the
 * lines to change marked), or `--sql <dialect>` (ready for that warehouse).
 */
export function printableReportSql(options) {
  if (options.dialect !== undefined && options.dialect !== 'duckdb') {
    const header = [
      `-- attune report: exposed units, conversions and revenue per experiment and variant, one statement per goal (${options.dialect})`,
      `-- Reads attune_events (the event columns: id, name, event_time, anonymous_id, user_id, session_id, properties): rename it to your table.`,
      `-- Attribution window ${options.windowMs} ms, revenue property "${options.revenueProperty}", unit ${options.unit ?? 'anonymous_id'}.`,
      '-- Save the rows of every statement together (JSON, NDJSON or CSV) and run: attune report --from-aggregates <file> [--bundle <bundle.json>]',
    ];
    return [header.join('\n'), ...options.goals.map((goal) => `-- goal ${goal.text}\n${goalStatement({ ...options, goal })};`)].join('\n\n') + '\n';
  }
  return printableSql(
    'attune report: exposed units, conversions and revenue per experiment and variant, one statement per goal',
    `attribution window ${options.windowMs} ms, revenue property ${sqlString(options.revenueProperty)}, unit ${options.unit ?? 'anonymous_id'}`,
    'experiment',
    options.goals.map((goal) => [`goal ${goal.text}`, goalStatement({ ...options, goal })]),
  );
}
