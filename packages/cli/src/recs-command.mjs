// attune recs build: a recommender's neighbor lists and popularity from collector events.
import { resolve } from 'node:path';
import { countOption, entryWithId, eventsSummary, idsOf, withEvents, writeCheckedBundle } from './analytics-support.mjs';
import { CliError, readJsonFile, required } from './cli-support.mjs';
import { CATALOG_TABLE, printableRecsSql, recsStatements } from './recs-sql.mjs';

const USAGE =
  'attune recs build --events <events.ndjson|-> --bundle <bundle.json> --id <recommender id> [--event product_viewed] ' +
  '[--item-property sku] [--min-support 2] [--top 10] [--out <file>] [--print-sql]';

/** Scores are kept to 4 significant digits: enough to rank, a third of the bytes. */
const rounded = (score) => Number(score.toPrecision(4));

/** The query's options from the command line, with their defaults. */
function recsOptions(values) {
  return {
    event: values.event ?? 'product_viewed',
    itemProperty: values['item-property'] ?? 'sku',
    minSupport: countOption(values['min-support'], '--min-support', 2),
    top: countOption(values.top, '--top', 10),
  };
}

/** The recommender `id` of the bundle and its catalog items, or a CliError saying what is missing. */
function catalogOf(bundle, id, bundlePath) {
  const recommender = entryWithId(bundle.recommenders, id);
  if (recommender === undefined) {
    throw new CliError(`the bundle ${bundlePath} has no recommender "${id}" (recommenders[] ids: ${idsOf(bundle.recommenders)}): add it with its catalog items first`);
  }
  if (!Array.isArray(recommender.items)) throw new CliError(`the recommender "${id}" has no items[] (its catalog) to compute neighbors for`);
  return recommender.items;
}

/** Puts each item's popularity and neighbors (neighbor id → score, best first) into the catalog. */
function applyToCatalog(items, neighborRows, popularityRows) {
  const neighbors = new Map();
  for (const row of neighborRows) {
    if (!neighbors.has(row.item_id)) neighbors.set(row.item_id, []);
    neighbors.get(row.item_id).push([row.neighbor_id, rounded(row.score)]);
  }
  const sessions = new Map(popularityRows.map((row) => [row.item_id, row.sessions]));
  for (const item of items) {
    if (item === null || typeof item !== 'object' || typeof item.id !== 'string') continue;
    item.popularity = sessions.get(item.id) ?? 0;
    // Object.fromEntries defines own properties: an item id such as "__proto__" stays a plain key.
    item.neighbors = neighbors.has(item.id) ? Object.fromEntries(neighbors.get(item.id)) : undefined;
  }
  return neighbors.size;
}

/** Loads the catalog's item ids into CATALOG_TABLE, which the query reads as "your items table". */
async function loadCatalog(db, items) {
  await db.all(`CREATE TABLE ${CATALOG_TABLE} (item_id VARCHAR)`);
  const appender = await db.connection.createAppender(CATALOG_TABLE);
  for (const item of items) {
    if (typeof item?.id !== 'string') continue;
    appender.appendVarchar(item.id);
    appender.endRow();
  }
  appender.closeSync();
}

/** attune recs build: see USAGE and README "Recommendations from events". */
export async function recsBuild(values, print, { stdin = process.stdin } = {}) {
  const options = recsOptions(values);
  if (values['print-sql']) return print(printableRecsSql(options).trimEnd());
  for (const value of [values.events?.length, values.bundle, values.id]) required(value, USAGE);
  const bundlePath = resolve(values.bundle);
  const bundle = readJsonFile(bundlePath, 'bundle');
  if (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle)) throw new CliError(`the bundle ${bundlePath} is not a JSON object`);
  const items = catalogOf(bundle, values.id, bundlePath);

  const { loaded, withNeighbors } = await withEvents(values.events, stdin, async (db, loaded) => {
    await loadCatalog(db, items);
    const { neighbors, popularity } = recsStatements(options);
    return { loaded, withNeighbors: applyToCatalog(items, await db.all(neighbors), await db.all(popularity)) };
  });
  const target = await writeCheckedBundle(bundle, values.out ?? bundlePath, `recommender "${values.id}"`);
  print(
    `Wrote recommender "${values.id}" into ${target}: ${withNeighbors} of ${items.length} item(s) have neighbors ` +
      `(support ≥ ${options.minSupport} sessions, top ${options.top}), popularity from ${eventsSummary(loaded)}`,
  );
}
