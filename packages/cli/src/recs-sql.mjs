// The SQL of `attune recs build`: item-to-item neighbors by co-occurrence within sessions, scored
// by cosine similarity, and each item's popularity. docs/cli.md "Recommendations from events".
import { DIALECT, EVENTS_TABLE, printableSql, property, sqlString } from './warehouse-sql.mjs';

/** The catalog's item ids (one column, item_id): only these are recommended or counted. */
export const CATALOG_TABLE = 'attune_catalog';

/**
 * Each (session, item) once: sessions are counted, not views, so a reload or a redelivered copy
 * of an event never counts twice.
 */
function sessionItems({ events, itemProperties }) {
  // The first property holding a non-empty value, as the device picks the id of a viewed item.
  const firstProperty = itemProperties.map((key) => `NULLIF(${property(key)}, '')`);
  const itemId =
    firstProperty.length === 1
      ? `${firstProperty[0]} AS item_id ${DIALECT}`
      : `COALESCE(\n${firstProperty.map((text) => `           ${text},`).join(` ${DIALECT}\n`).replace(/,$/, '')} ${DIALECT}\n         ) AS item_id`;
  return `WITH item_views AS (
  SELECT session_id,
         ${itemId}
  FROM ${EVENTS_TABLE}
  WHERE name IN (${events.map(sqlString).join(', ')})
),
session_items AS (
  SELECT DISTINCT session_id, item_id
  FROM item_views
  WHERE session_id IS NOT NULL
    AND item_id IN (SELECT item_id FROM ${CATALOG_TABLE})
),
item_sessions AS (
  SELECT item_id, COUNT(*) AS sessions
  FROM session_items
  GROUP BY item_id
)`;
}

/**
 * Two statements: `neighbors` (item_id, neighbor_id, support, score, neighbor_rank: the top
 * `top` per item with support ≥ `minSupport`) and `popularity` (item_id, sessions). Views are the
 * `events`; the item is the first of `itemProperties` that is set.
 * support = sessions that viewed both; score = support / sqrt(sessions(item) × sessions(neighbor)).
 */
export function recsStatements({ events, itemProperties, minSupport, top }) {
  const common = sessionItems({ events, itemProperties });
  const neighbors = `${common},
pairs AS (
  SELECT a.item_id AS item_id, b.item_id AS neighbor_id, COUNT(*) AS support
  FROM session_items a
  JOIN session_items b ON b.session_id = a.session_id AND b.item_id <> a.item_id
  GROUP BY a.item_id, b.item_id
  HAVING COUNT(*) >= ${minSupport}
),
scored AS (
  SELECT p.item_id, p.neighbor_id, p.support,
         p.support / SQRT(i.sessions * n.sessions) AS score
  FROM pairs p
  JOIN item_sessions i ON i.item_id = p.item_id
  JOIN item_sessions n ON n.item_id = p.neighbor_id
),
ranked AS (
  SELECT item_id, neighbor_id, support, score,
         ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY score DESC, support DESC, neighbor_id) AS neighbor_rank
  FROM scored
)
SELECT item_id, neighbor_id, support, score, neighbor_rank
FROM ranked
WHERE neighbor_rank <= ${top}
ORDER BY item_id, neighbor_rank`;
  const popularity = `${common}
SELECT item_id, sessions
FROM item_sessions
ORDER BY sessions DESC, item_id`;
  return { neighbors, popularity };
}

/** What --print-sql prints. */
export function printableRecsSql(options) {
  const { neighbors, popularity } = recsStatements(options);
  const { events, itemProperties, minSupport, top } = options;
  return printableSql(
    'attune recs build: item-to-item neighbors (co-occurrence within sessions, cosine score) and popularity',
    `view events ${events.map(sqlString).join(', ')}; item id: the first of the properties ${itemProperties.map(sqlString).join(', ')}; ` +
      `minimum support ${minSupport} sessions; top ${top} neighbors per item.\n-- ${CATALOG_TABLE}(item_id) holds the catalog's item ids (your items table)`,
    itemProperties[0],
    [
      ['1. Neighbors: the top neighbors of each item', neighbors],
      ['2. Popularity: sessions that viewed each item', popularity],
    ],
  );
}
