-- attune report: exposed units, conversions and revenue per experiment and variant, one statement per goal (snowflake)
-- Reads attune_events (the event columns: id, name, event_time, anonymous_id, user_id, session_id, properties): rename it to your table.
-- Attribution window 1209600000 ms, revenue property "revenue", unit anonymous_id.
-- Save the rows of every statement together (JSON, NDJSON or CSV) and run: attune report --from-aggregates <file> [--bundle <bundle.json>]

-- goal purchase
WITH exposures AS (
  SELECT anonymous_id AS unit_id, DATE_PART(EPOCH_MILLISECOND, event_time) AS event_ms,
         properties:"experiment"::STRING AS experiment,
         properties:"variant"::STRING AS variant
  FROM attune_events
  WHERE name = 'experiment_exposure'
    AND anonymous_id IS NOT NULL AND event_time IS NOT NULL
    AND properties:"experiment"::STRING IS NOT NULL AND properties:"variant"::STRING IS NOT NULL
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
  SELECT anonymous_id AS unit_id, DATE_PART(EPOCH_MILLISECOND, event_time) AS event_ms,
         COALESCE(TRY_TO_DOUBLE(properties:"revenue"::STRING), 0) AS revenue
  FROM attune_events
  WHERE name = 'purchase' AND anonymous_id IS NOT NULL AND event_time IS NOT NULL
),
outcomes AS (
  -- A goal counts from the unit's first exposure until the window ends.
  SELECT u.experiment, u.variant, u.unit_id, u.variants, u.exposed_ms,
         MAX(CASE WHEN g.unit_id IS NULL THEN 0 ELSE 1 END) AS converted,
         COALESCE(SUM(g.revenue), 0) AS revenue
  FROM units u
  LEFT JOIN goals g ON g.unit_id = u.unit_id AND g.event_ms >= u.exposed_ms AND g.event_ms <= u.exposed_ms + 1209600000
  GROUP BY u.experiment, u.variant, u.unit_id, u.variants, u.exposed_ms
)
SELECT 'purchase' AS goal, experiment, variant, COUNT(*) AS units, SUM(converted) AS conversions,
       SUM(revenue) AS revenue, SUM(revenue * revenue) AS revenue_squares,
       SUM(CASE WHEN variants > 1 THEN 1 ELSE 0 END) AS crossed
FROM outcomes
GROUP BY experiment, variant
ORDER BY experiment, variant;

-- goal signup:plan=pro
WITH exposures AS (
  SELECT anonymous_id AS unit_id, DATE_PART(EPOCH_MILLISECOND, event_time) AS event_ms,
         properties:"experiment"::STRING AS experiment,
         properties:"variant"::STRING AS variant
  FROM attune_events
  WHERE name = 'experiment_exposure'
    AND anonymous_id IS NOT NULL AND event_time IS NOT NULL
    AND properties:"experiment"::STRING IS NOT NULL AND properties:"variant"::STRING IS NOT NULL
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
  SELECT anonymous_id AS unit_id, DATE_PART(EPOCH_MILLISECOND, event_time) AS event_ms,
         COALESCE(TRY_TO_DOUBLE(properties:"revenue"::STRING), 0) AS revenue
  FROM attune_events
  WHERE name = 'signup' AND anonymous_id IS NOT NULL AND event_time IS NOT NULL
    AND properties:"plan"::STRING = 'pro'
),
outcomes AS (
  -- A goal counts from the unit's first exposure until the window ends.
  SELECT u.experiment, u.variant, u.unit_id, u.variants, u.exposed_ms,
         MAX(CASE WHEN g.unit_id IS NULL THEN 0 ELSE 1 END) AS converted,
         COALESCE(SUM(g.revenue), 0) AS revenue
  FROM units u
  LEFT JOIN goals g ON g.unit_id = u.unit_id AND g.event_ms >= u.exposed_ms AND g.event_ms <= u.exposed_ms + 1209600000
  GROUP BY u.experiment, u.variant, u.unit_id, u.variants, u.exposed_ms
)
SELECT 'signup:plan=pro' AS goal, experiment, variant, COUNT(*) AS units, SUM(converted) AS conversions,
       SUM(revenue) AS revenue, SUM(revenue * revenue) AS revenue_squares,
       SUM(CASE WHEN variants > 1 THEN 1 ELSE 0 END) AS crossed
FROM outcomes
GROUP BY experiment, variant
ORDER BY experiment, variant;
