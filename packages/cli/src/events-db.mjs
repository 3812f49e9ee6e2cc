// Collector events in an embedded analytical database (DuckDB, in memory): the dev collector's
// NDJSON files (or stdin) become one table of the event columns, duplicates dropped by id. The
// commands that aggregate events (recs build, bandit update) query it with the same SQL they print
// for a warehouse.
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CliError } from './cli-support.mjs';
import { EVENTS_TABLE, sqlString } from './warehouse-sql.mjs';

export { EVENTS_TABLE };

/**
 * The event columns (docs/collector-formats.md "Events and the collector" → snake_case, so a warehouse query needs
 * no quoted identifiers): what the envelope field becomes, and its SQL type here.
 */
export const EVENT_COLUMNS = [
  ['id', 'id', 'VARCHAR'],
  ['type', 'type', 'VARCHAR'],
  ['name', 'name', 'VARCHAR'],
  ['event_time', 'timestamp', 'TIMESTAMPTZ'],
  ['anonymous_id', 'anonymousId', 'VARCHAR'],
  ['user_id', 'userId', 'VARCHAR'],
  ['session_id', 'sessionId', 'VARCHAR'],
  ['properties', 'properties', 'JSON'],
  ['experiments', 'experiments', 'JSON'],
  ['context', 'context', 'JSON'],
];

/** A result row with BIGINT counts as numbers (they fit: counts of events). */
function plainRow(row) {
  const plain = {};
  for (const [column, value] of Object.entries(row)) plain[column] = typeof value === 'bigint' ? Number(value) : value;
  return plain;
}

/**
 * Opens an in-memory DuckDB database. `all(sql)` runs one statement and returns its rows as
 * plain objects (column → JS value); `close()` frees it.
 */
export async function openEventsDatabase() {
  let duckdb;
  try {
    duckdb = await import('@duckdb/node-api');
  } catch (error) {
    throw new CliError(`cannot load DuckDB (@duckdb/node-api: ${error.message}); reinstall with npm ci, which installs its binary for this platform`);
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    connection,
    async all(sql) {
      const result = await connection.runAndReadAll(sql);
      return result.getRowObjectsJS().map(plainRow);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Copies stdin to a temporary file, since DuckDB reads files (and /dev/stdin is not portable). */
async function stdinToFile(stdin) {
  const dir = mkdtempSync(join(tmpdir(), 'attune-events-'));
  const file = join(dir, 'stdin.ndjson');
  await pipeline(stdin, createWriteStream(file));
  return { file, cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The lines of an NDJSON file that are not JSON objects (`{ line, problem }`), the first `max` of
 * them, and how many there are (all of them, unless `stopAtMax`); `unreadable` when the file
 * cannot be read. DuckDB's own line numbers are off by one, so the file is read here.
 */
async function badLines(file, max, stopAtMax = false) {
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  const found = [];
  let count = 0;
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      if (line.trim() === '') continue;
      let problem;
      try {
        const value = JSON.parse(line);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) problem = 'not a JSON object';
      } catch {
        problem = 'not JSON';
      }
      if (problem === undefined) continue;
      count++;
      if (found.length < max) found.push({ line: number, problem });
      if (stopAtMax && found.length >= max) break;
    }
  } catch (error) {
    return { found, count, unreadable: error.message };
  } finally {
    lines.close();
    input.destroy();
  }
  return { found, count };
}

/** The first line of an NDJSON file that is not a JSON object, said in words; undefined when all are. */
async function firstBadLine(file) {
  const bad = await badLines(file, 1, true);
  if (bad.unreadable !== undefined) return `it cannot be read (${bad.unreadable})`;
  return bad.found[0] && `line ${bad.found[0].line} is ${bad.found[0].problem}`;
}

/** The events files of a directory (`.ndjson`, `.jsonl`, `.json`, each optionally `.gz`, and `.parquet`), sorted. */
function filesIn(dir) {
  return readdirSync(dir)
    .filter((name) => /\.((ndjson|jsonl|json)(\.gz)?|parquet)$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Adds the events of Parquet files (a warehouse export, or NDJSON converted with DuckDB's COPY):
 * each event column is read from the envelope's name (`timestamp`, `anonymousId`...) or the
 * column's own (`event_time`, `anonymous_id`...); one neither file has is null. JSON columns may
 * be JSON text or nested structs.
 */
async function loadParquet(db, files) {
  const read = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
  let names;
  try {
    names = new Set((await db.all(`DESCRIBE SELECT * FROM ${read}`)).map((row) => row.column_name));
  } catch (error) {
    throw new CliError(`cannot read the Parquet events ${files.join(', ')}: ${error.message.trim()}`);
  }
  const select = EVENT_COLUMNS.map(([column, field, type]) => {
    const source = names.has(field) ? `"${field}"` : names.has(column) ? `"${column}"` : undefined;
    if (source === undefined) return `CAST(NULL AS ${type}) AS ${column}`;
    if (type === 'TIMESTAMPTZ') return `TRY_CAST(${source} AS TIMESTAMPTZ) AS ${column}`;
    return `CAST(${source} AS ${type}) AS ${column}`;
  });
  await db.all(`INSERT INTO attune_events_received SELECT ${select.join(', ')} FROM ${read}`);
}

/**
 * Loads events into `EVENTS_TABLE`, keeping one row per event id (delivery is at least once, so
 * the same event can arrive twice). `sources` are NDJSON file paths (`.gz` too), or `['-']` for
 * stdin, or directories (their events files); `.parquet` files too (see loadParquet). Returns `{ events, duplicates }`. Problems with the
 * input are `CliError`s naming the file and the line; with `tolerant`, lines that are not JSON
 * objects are skipped instead, and listed in `malformed` (`{ count, lines: [{ file, line, problem }] }`).
 */
export async function loadEvents(db, sources, { stdin = process.stdin, tolerant = false } = {}) {
  if (sources.length === 0) throw new CliError('no events: pass --events <file.ndjson> (or --events - to read stdin)', 2);
  let cleanUp = () => {};
  let files;
  if (sources.includes('-')) {
    if (sources.length > 1) throw new CliError('--events - (stdin) cannot be combined with files', 2);
    const copy = await stdinToFile(stdin);
    files = [copy.file];
    cleanUp = copy.cleanUp;
  } else {
    files = [];
    for (const source of sources.map((path) => resolve(path))) {
      if (!existsSync(source)) throw new CliError(`cannot read the events file ${source}: no such file (the dev collector writes .attune/events.ndjson)`);
      if (statSync(source).isDirectory()) {
        const inside = filesIn(source);
        if (inside.length === 0) throw new CliError(`the directory ${source} holds no events file (.ndjson, .jsonl or .json, optionally .gz, or .parquet)`);
        files.push(...inside);
      } else files.push(source);
    }
  }
  const parquet = files.filter((file) => file.endsWith('.parquet'));
  files = files.filter((file) => !file.endsWith('.parquet'));
  const select = EVENT_COLUMNS.map(([column, field, type]) =>
    type === 'TIMESTAMPTZ' ? `TRY_CAST("${field}" AS TIMESTAMPTZ) AS ${column}` : `"${field}" AS ${column}`,
  ).join(', ');
  // Read as text and JSON: one malformed timestamp or a number where a string was expected must
  // not fail the whole file. Every other key of the envelope is ignored.
  const columns = EVENT_COLUMNS.map(([, field, type]) => `${sqlString(field)}: ${sqlString(type === 'JSON' ? 'JSON' : 'VARCHAR')}`).join(', ');
  const read = (lenient) =>
    `read_json([${files.map(sqlString).join(', ')}], format = 'newline_delimited', columns = {${columns}}${lenient ? ', ignore_errors = true' : ''})`;
  /** Lines left out (tolerant loads only): `{ count, lines: [{ file, line, problem }] }`. */
  const malformed = { count: 0, lines: [] };
  try {
    if (files.length === 0) await db.all(`CREATE TEMP TABLE attune_events_received (${EVENT_COLUMNS.map(([column, , type]) => `${column} ${type}`).join(', ')})`);
    else await db.all(`CREATE TEMP TABLE attune_events_received AS SELECT ${select} FROM ${read(false)}`);
  } catch (error) {
    if (tolerant) {
      for (const file of files) {
        const bad = await badLines(file, 100 - malformed.lines.length);
        if (bad.unreadable !== undefined) {
          cleanUp();
          throw new CliError(`cannot read ${sources[0] === '-' ? 'stdin' : file}: ${bad.unreadable}`);
        }
        malformed.count += bad.count;
        malformed.lines.push(...bad.found.map((found) => ({ file: sources[0] === '-' ? 'stdin' : file, ...found })));
      }
    }
    if (tolerant && malformed.count > 0) {
      await db.all(`CREATE TEMP TABLE attune_events_received AS SELECT ${select} FROM ${read(true)}`);
      // DuckDB keeps a row of nulls for each line it could not read.
      await db.all('DELETE FROM attune_events_received WHERE id IS NULL AND type IS NULL AND name IS NULL AND event_time IS NULL AND properties IS NULL');
    } else {
      let where;
      for (const file of files) {
        where = await firstBadLine(file);
        if (where !== undefined) {
          where = `${sources[0] === '-' ? 'stdin' : file}: ${where}`;
          break;
        }
      }
      cleanUp();
      // DuckDB's message is kept only when the line was not found: its line numbers are off by one.
      throw new CliError(`the events are not NDJSON (one JSON event object per line): ${where ?? error.message.trim()}`);
    }
  }
  cleanUp();
  if (parquet.length > 0) await loadParquet(db, parquet);
  await db.all(
    `CREATE TABLE ${EVENTS_TABLE} AS SELECT * FROM attune_events_received QUALIFY id IS NULL OR ROW_NUMBER() OVER (PARTITION BY id ORDER BY event_time) = 1`,
  );
  const [counts] = await db.all(
    `SELECT (SELECT COUNT(*) FROM attune_events_received) AS received, (SELECT COUNT(*) FROM ${EVENTS_TABLE}) AS events`,
  );
  await db.all('DROP TABLE attune_events_received');
  const loaded = { events: counts.events, duplicates: counts.received - counts.events };
  return tolerant ? { ...loaded, malformed } : loaded;
}
