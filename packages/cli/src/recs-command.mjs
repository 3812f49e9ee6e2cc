// attune recs build: a recommender's neighbor lists and popularity from collector events.
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { countOption, entryWithId, eventsSummary, idsOf, remindToSign, withEvents, writeCheckedBundle } from './analytics-support.mjs';
import { CliError, loadCore, readJsonFile, required } from './cli-support.mjs';
import { CATALOG_TABLE, printableRecsSql, recsStatements } from './recs-sql.mjs';

const USAGE =
  'attune recs build --events <events.ndjson|-> --bundle <bundle.json> --id <recommender id> [--event <name>]... ' +
  '[--item-property <name>]... [--min-support 2] [--top 10] [--catalog <file>] [--out <file>] [--print-sql]';

/** At most this many neighbors per item (the bundle format's cap). */
const MAX_NEIGHBORS = 100;

/** Scores are kept to 4 significant digits: enough to rank, a third of the bytes. */
const rounded = (score) => Number(score.toPrecision(4));

/**
 * The query's options from the command line. By default the views and item ids are those the
 * device keeps in `profile.viewed` (DEFAULT_PROFILE_RULES.items), so neighbors are computed from
 * the same events the visitor's recent views are.
 */
async function recsOptions(values) {
  const { viewEvents, idProperties } = (await loadCore()).DEFAULT_PROFILE_RULES.items;
  return {
    events: values.event ?? [...viewEvents],
    itemProperties: values['item-property'] ?? [...idProperties],
    minSupport: countOption(values['min-support'], '--min-support', 2),
    top: countOption(values.top, '--top', 10, MAX_NEIGHBORS),
  };
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Where a catalog file is on disk: --catalog, else its URL when it is relative to the bundle's. */
function catalogPath(reference, bundlePath, given) {
  if (given !== undefined) return resolve(given);
  const url = typeof reference.url === 'string' ? reference.url : '';
  if (url === '' || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) {
    throw new CliError(`the recommender's catalog is at ${JSON.stringify(url)}: pass --catalog <file> (the file served there)`, 2);
  }
  return resolve(dirname(bundlePath), decodeURIComponent(url.replace(/[?#].*$/, '')));
}

/**
 * The recommender `id` of the bundle and its catalog items: inline (`items`), or in its catalog
 * file (`catalog`: `file` is then `{ path, document }`). A CliError says what is missing.
 */
function catalogOf(bundle, id, bundlePath, givenCatalog) {
  const recommender = entryWithId(bundle.recommenders, id);
  if (recommender === undefined) {
    throw new CliError(`the bundle ${bundlePath} has no recommender "${id}" (recommenders[] ids: ${idsOf(bundle.recommenders)}): add it with its catalog items first`);
  }
  if (Array.isArray(recommender.items)) return { recommender, items: recommender.items };
  if (!isObject(recommender.catalog)) throw new CliError(`the recommender "${id}" has neither items[] nor a catalog file to compute neighbors for`);
  const path = catalogPath(recommender.catalog, bundlePath, givenCatalog);
  const document = readJsonFile(path, 'catalog');
  if (!isObject(document) || document.schema !== 'attune.catalog/1' || !Array.isArray(document.items)) {
    throw new CliError(`the catalog ${path} is not a catalog file: { "schema": "attune.catalog/1", "items": [...] }`);
  }
  return { recommender, items: document.items, file: { path, document } };
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
    if (!isObject(item) || typeof item.id !== 'string') continue;
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

/**
 * The catalog file's new text, once its items check out as a bundle's inline catalog would (the
 * bundle's own check does not open the file); its SHA-256 goes into the bundle.
 */
async function catalogFileText({ path, document }, recommender, bundle) {
  const { catalog, ...inline } = recommender;
  const withItemsInline = { ...bundle, recommenders: bundle.recommenders.map((entry) => (entry === recommender ? { ...inline, items: document.items } : entry)) };
  const core = await loadCore();
  try {
    core.checkBundle(withItemsInline);
  } catch (error) {
    throw new CliError(`the catalog with the new neighbors does not check out (${error.code ?? 'invalid'}): ${error.message}`);
  }
  const text = `${JSON.stringify(document)}\n`;
  catalog.sha256 = createHash('sha256').update(text).digest('hex');
  return [path, text];
}

/** attune recs build: see USAGE and docs/cli.md "Recommendations from events". */
export async function recsBuild(values, print, { stdin = process.stdin } = {}) {
  const options = await recsOptions(values);
  if (values['print-sql']) return print(printableRecsSql(options).trimEnd());
  for (const value of [values.events?.length, values.bundle, values.id]) required(value, USAGE);
  const bundlePath = resolve(values.bundle);
  const bundle = readJsonFile(bundlePath, 'bundle');
  if (!isObject(bundle)) throw new CliError(`the bundle ${bundlePath} is not a JSON object`);
  const { recommender, items, file } = catalogOf(bundle, values.id, bundlePath, values.catalog);

  const { loaded, withNeighbors } = await withEvents(values.events, stdin, async (db, loaded) => {
    await loadCatalog(db, items);
    const { neighbors, popularity } = recsStatements(options);
    return { loaded, withNeighbors: applyToCatalog(items, await db.all(neighbors), await db.all(popularity)) };
  });
  const files = file === undefined ? [] : [await catalogFileText(file, recommender, bundle)];
  const target = await writeCheckedBundle(bundle, values.out ?? bundlePath, `recommender "${values.id}"`, files);
  print(
    `Wrote recommender "${values.id}" into ${file === undefined ? target : `${file.path} (its SHA-256 into ${target})`}: ` +
      `${withNeighbors} of ${items.length} item(s) have neighbors (support ≥ ${options.minSupport} sessions, top ${options.top}), ` +
      `popularity from ${eventsSummary(loaded)}`,
  );
  remindToSign(target, print);
}
