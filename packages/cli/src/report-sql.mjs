// The SQL of `attune report`: per experiment and variant, the exposed units (each counted once,
// in the variant of its first exposure), how many converted on a goal within the attribution
// window after that exposure, and their revenue. Only these aggregates leave the database; the
// statistics run on them (report-stats.mjs).
import { EXPOSURE_EVENT } from './bandit-sql.mjs';
import { DIALECT, EPOCH_MS, EVENTS_TABLE, printableSql, property, sqlString } from './warehouse-sql.mjs';

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
export function goalStatement({ goal, windowMs, revenueProperty, unit = 'anonymous_id' }, byDay = false) {
  // By day: the same counts per day (UTC) of the units' first exposure, for the report's charts over time.
  const day = byDay ? ', FLOOR(exposed_ms / 86400000) AS day' : '';
  const dayGroup = byDay ? ', FLOOR(exposed_ms / 86400000)' : '';
  const filter = goal.key === undefined ? '' : `\n    AND (${property(goal.key)}) = ${sqlString(goal.value)} ${DIALECT}`;
  return `WITH exposures AS (
  SELECT ${unit} AS unit_id, ${EPOCH_MS} AS event_ms, ${DIALECT}
         ${property('experiment')} AS experiment, ${DIALECT}
         ${property('variant')} AS variant ${DIALECT}
  FROM ${EVENTS_TABLE}
  WHERE name = ${sqlString(EXPOSURE_EVENT)}
    AND ${unit} IS NOT NULL AND event_time IS NOT NULL
    AND (${property('experiment')}) IS NOT NULL AND (${property('variant')}) IS NOT NULL ${DIALECT}
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
  SELECT ${unit} AS unit_id, ${EPOCH_MS} AS event_ms, ${DIALECT}
         COALESCE(TRY_CAST(${property(revenueProperty)} AS DOUBLE), 0) AS revenue ${DIALECT}
  FROM ${EVENTS_TABLE}
  WHERE name = ${sqlString(goal.name)} AND ${unit} IS NOT NULL AND event_time IS NOT NULL${filter}
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
SELECT experiment, variant${day}, COUNT(*) AS units, SUM(converted) AS conversions,
       SUM(revenue) AS revenue, SUM(revenue * revenue) AS revenue_squares,
       SUM(CASE WHEN variants > 1 THEN 1 ELSE 0 END) AS crossed
FROM outcomes
GROUP BY experiment, variant${dayGroup}
ORDER BY experiment, variant${dayGroup}`;
}

/** The statements as printed for a warehouse (`--print-sql`). */
export function printableReportSql(options) {
  return printableSql(
    'attune report: exposed units, conversions and revenue per experiment and variant, one statement per goal',
    `attribution window ${options.windowMs} ms, revenue property ${sqlString(options.revenueProperty)}, unit ${options.unit ?? 'anonymous_id'}`,
    'experiment',
    options.goals.map((goal) => [`goal ${goal.text}`, goalStatement({ ...options, goal })]),
  );
}
