// What `attune recs build` and `attune bandit update` share: their numeric options, the events
// database around a command, and writing the bundle once it checks out.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, formatJson, loadCore } from './cli-support.mjs';
import { loadEvents, openEventsDatabase } from './events-db.mjs';

/** An integer option from 1 to `max` (a count), or its default when absent. */
export function countOption(value, name, fallback, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return fallback;
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(count >= 1 && count <= max)) throw new CliError(`${name} must be a whole number from 1 to ${max}, not "${value}"`, 2);
  return count;
}

/** A number option > 0, or its default when absent. */
export function positiveOption(value, name, fallback) {
  if (value === undefined) return fallback;
  const number = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(number > 0) || !Number.isFinite(number)) throw new CliError(`${name} must be a number above 0, not "${value}"`, 2);
  return number;
}

const UNIT_MS = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

/** A duration option in milliseconds ("30m", "12h", "7d", "2w": the syntax of rule windows), or undefined. */
export function durationOption(value, name) {
  if (value === undefined) return undefined;
  const match = /^(\d+)([smhdw])$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]] : 0;
  if (!(ms > 0) || !Number.isSafeInteger(ms)) throw new CliError(`${name} must be a duration such as "30m", "12h", "7d" or "2w", not "${value}"`, 2);
  return ms;
}

/** The entry of `list` (a bundle array) with this id, or undefined; `list` may be anything. */
export const entryWithId = (list, id) => (Array.isArray(list) ? list.find((entry) => entry?.id === id) : undefined);

/** The ids of a bundle array's entries, for messages. */
export const idsOf = (list) => (Array.isArray(list) ? list.map((entry) => JSON.stringify(entry?.id)).join(', ') : '') || 'none';

/**
 * Opens the events database, loads `sources` (files, or '-' for stdin), runs `work(db, loaded)`
 * and closes the database whatever happens. `loaded` is `{ events, duplicates }`.
 */
export async function withEvents(sources, stdin, work) {
  const db = await openEventsDatabase();
  try {
    return await work(db, await loadEvents(db, sources ?? [], { stdin }));
  } finally {
    db.close();
  }
}

/**
 * Checks the bundle as browsers do (with @attune/core), then writes `files` (`[path, text]`, files
 * the bundle refers to) and the bundle; nothing is written when the check fails.
 */
export async function writeCheckedBundle(bundle, path, what, files = []) {
  const core = await loadCore();
  try {
    core.checkBundle(bundle);
  } catch (error) {
    throw new CliError(`the bundle with the new ${what} does not check out (${error.code ?? 'invalid'}): ${error.message}`);
  }
  for (const [file, text] of files) writeFileSync(file, text);
  const target = resolve(path);
  writeFileSync(target, `${formatJson(bundle)}\n`);
  return target;
}

/** A changed bundle that was signed needs a new signature: says so when `<bundle>.sig` exists. */
export function remindToSign(target, print) {
  if (existsSync(`${target}.sig`)) print(`The bundle changed: sign it again (attune sign ${target} --key <private.jwk>)`);
}

/** `n event(s) (d duplicate(s) dropped)`, for the commands' summaries. */
export const eventsSummary = ({ events, duplicates }) =>
  `${events} event(s)${duplicates > 0 ? ` (${duplicates} duplicate(s) by id dropped)` : ''}`;
