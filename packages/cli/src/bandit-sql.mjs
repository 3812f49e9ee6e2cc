// The SQL of `attune bandit update`: per arm (and per segment), the trials (a visitor's session
// shown the arm) and how many of them converted. docs/cli.md "Bandit posteriors from events" has the
// attribution rule.
import { DIALECT, EPOCH_MS, EVENTS_TABLE, printableSql, property, sqlString } from './warehouse-sql.mjs';

/** The event the SDK records when a variant is shown (docs/experiments.md "Exposures"). */
export const EXPOSURE_EVENT = 'experiment_exposure';

/**
 * One statement: `[segment,] arm, exposures, conversions`, one row per arm seen (per segment).
 * `unit` is the column of the experiment's unit: anonymous_id, or user_id.
 */
function countsStatement({ experiment, reward, windowMs, segmentProperty, unit = 'anonymous_id' }, bySegment) {
  const segment = bySegment ? ', segment' : '';
  const t = (columns) => (bySegment ? `t.segment, ${columns}` : columns);
  const attribution =
    windowMs === undefined
      ? 'r.session_id = t.session_id -- in the same session'
      : `r.event_ms <= t.exposed_ms + ${windowMs} -- within the window, in any session`;
  return `WITH experiment_events AS (
  SELECT name, ${unit} AS unit_id, session_id,
         ${EPOCH_MS} AS event_ms, ${DIALECT}
         ${property('experiment')} AS experiment, ${DIALECT}
         ${property('variant')} AS arm${bySegment ? `, ${DIALECT}\n         ${property(segmentProperty)} AS segment` : ''} ${DIALECT}
  FROM ${EVENTS_TABLE}
  WHERE name IN (${sqlString(EXPOSURE_EVENT)}, ${sqlString(reward)})
),
trials AS (
  -- A trial: a unit's first exposure to an arm in a session.
  SELECT unit_id, session_id, arm${segment}, MIN(event_ms) AS exposed_ms
  FROM experiment_events
  WHERE name = ${sqlString(EXPOSURE_EVENT)} AND experiment = ${sqlString(experiment)}
    AND unit_id IS NOT NULL AND session_id IS NOT NULL AND arm IS NOT NULL AND event_ms IS NOT NULL${bySegment ? ' AND segment IS NOT NULL' : ''}
  GROUP BY unit_id, session_id, arm${segment}
),
rewards AS (
  SELECT unit_id, session_id, event_ms
  FROM experiment_events
  WHERE name = ${sqlString(reward)} AND event_ms IS NOT NULL
),
converted AS (
  -- A trial converts once, however many rewards follow it.
  SELECT DISTINCT ${t('t.unit_id, t.session_id, t.arm')}
  FROM trials t
  JOIN rewards r ON r.unit_id = t.unit_id
   AND r.event_ms >= t.exposed_ms
   AND ${attribution}
)
SELECT ${t('t.arm')}, COUNT(*) AS exposures, COUNT(c.arm) AS conversions
FROM trials t
LEFT JOIN converted c ON c.unit_id = t.unit_id AND c.session_id = t.session_id AND c.arm = t.arm${bySegment ? ' AND c.segment = t.segment' : ''}
GROUP BY ${t('t.arm')}
ORDER BY ${t('t.arm')}`;
}

/** `arms` (every trial), and `segments` when `segmentProperty` is given. */
export function banditStatements(options) {
  return {
    arms: countsStatement(options, false),
    ...(options.segmentProperty === undefined ? {} : { segments: countsStatement(options, true) }),
  };
}

/** What --print-sql prints. */
export function printableBanditSql(options) {
  const { arms, segments } = banditStatements(options);
  const { experiment, reward, windowMs, window, segmentProperty, unit = 'anonymous_id' } = options;
  const rule = windowMs === undefined ? 'a reward later in the session of the exposure' : `a reward within ${window ?? `${windowMs} ms`} after the exposure, in any session`;
  return printableSql(
    'attune bandit update: exposures and conversions per arm of a bandit (Beta posteriors: alpha = prior + conversions, beta = prior + exposures - conversions)',
    `experiment ${sqlString(experiment)}, unit ${unit}, reward event ${sqlString(reward)}, conversion = ${rule}` +
      (segmentProperty === undefined ? '' : `, segment from the exposure's property ${sqlString(segmentProperty)}`),
    'variant',
    [
      ['1. Per arm', arms],
      ...(segments === undefined ? [] : [['2. Per segment and arm', segments]]),
    ],
  );
}
