// attune report: which variant of each experiment wins, from collector events. DuckDB aggregates
// the events (report-sql.mjs); the statistics run on the aggregates (report-stats.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { durationOption, eventsSummary } from './analytics-support.mjs';
import { CliError, readJsonFile } from './cli-support.mjs';
import { loadEvents, openEventsDatabase } from './events-db.mjs';
import { DIALECTS, goalStatement, parseGoal, printableReportSql } from './report-sql.mjs';
import { money, percent, pValue, signedPercent } from './report-format.mjs';
import { reportHtml } from './report-html.mjs';
import { compareRates, meanWithInterval, rateWithInterval, sampleRatioMismatch, SRM_ALPHA } from './report-stats.mjs';

const USAGE =
  'attune report --events <file|dir|-> [--events ...] [--bundle <bundle.json>] [--goal <event>[:<property>=<value>]]... ' +
  '[--window 7d] [--revenue <property>] [--json] [--html <file>] [--print-sql | --sql duckdb|bigquery|snowflake|clickhouse] ' +
  '| attune report --from-aggregates <rows.json|.ndjson|.csv> [--bundle <bundle.json>] [--json] [--html <file>]';
const DEFAULT_GOAL = 'purchase';
const DEFAULT_WINDOW = '7d';
const DEFAULT_REVENUE = 'revenue';
const HOLDOUT = 'holdout';

/** The bundle's experiments: id → { variants (ids in bundle order), weights, holdout, traffic, unit, experience }. */
function experimentsOf(bundle) {
  const found = new Map();
  for (const experience of Array.isArray(bundle?.experiences) ? bundle.experiences : []) {
    const experiment = experience?.experiment;
    if (typeof experiment?.id !== 'string') continue;
    const variants = Array.isArray(experience.variants) ? experience.variants.filter((variant) => typeof variant?.id === 'string') : [];
    found.set(experiment.id, {
      experience: experience.id,
      variants: variants.map((variant) => variant.id),
      weights: Object.fromEntries(variants.map((variant) => [variant.id, typeof variant.weight === 'number' ? variant.weight : 1])),
      holdout: typeof experiment.holdout === 'number' ? experiment.holdout : 0,
      traffic: typeof experiment.traffic === 'number' ? experiment.traffic : 1,
      unit: experiment.unit === 'userId' ? 'user_id' : 'anonymous_id',
      bandit: experiment.allocation !== undefined,
      factorial: experiment.factorial !== undefined,
    });
  }
  return found;
}

/**
 * The shares the configuration expects among exposed units: the holdout `h`, and each variant
 * `(1 - h) × traffic × weight / Σ weights` (docs/experiments.md "Experiments: assignment"), so units kept out by
 * the traffic gate, who see no experiment, do not count. Bandits and multivariate tests are not
 * split by fixed weights: no expectation (undefined).
 */
function expectedShares(config) {
  if (config.bandit || config.factorial) return undefined;
  const total = Object.values(config.weights).reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) return undefined;
  const shares = Object.fromEntries(Object.entries(config.weights).map(([variant, weight]) => [variant, ((1 - config.holdout) * config.traffic * weight) / total]));
  if (config.holdout > 0) shares[HOLDOUT] = config.holdout;
  return shares;
}

/** The control: the bundle's first variant, else one named "control", else the first by name. */
function controlOf(variants, config) {
  const named = variants.filter((variant) => variant !== HOLDOUT);
  return config?.variants.find((variant) => named.includes(variant)) ?? (named.includes('control') ? 'control' : named.sort()[0]);
}

/** The statistics of one goal for one experiment's rows (`variant → aggregates`). */
function goalResult(rows, control) {
  const controlRow = rows.get(control);
  // Control first, the holdout last, the other variants by name.
  const rank = (variant) => (variant === control ? 0 : variant === HOLDOUT ? 2 : 1);
  const variants = [...rows.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return variants.map((variant) => {
    const row = rows.get(variant);
    const result = {
      variant,
      units: row.units,
      conversions: row.conversions,
      ...rateWithInterval(row.conversions, row.units),
      revenuePerUnit: meanWithInterval(row.revenue, row.revenue_squares, row.units),
    };
    if (variant !== control && variant !== HOLDOUT && controlRow) {
      result.vsControl = compareRates({ x: row.conversions, n: row.units }, { x: controlRow.conversions, n: controlRow.units });
    }
    return result;
  });
}

/** Personalization (every variant together) against the holdout: the incrementality of the experience. */
function holdoutResult(rows) {
  const held = rows.get(HOLDOUT);
  if (!held) return undefined;
  let units = 0;
  let conversions = 0;
  for (const [variant, row] of rows) {
    if (variant === HOLDOUT) continue;
    units += row.units;
    conversions += row.conversions;
  }
  return {
    personalized: { units, conversions, ...rateWithInterval(conversions, units) },
    holdout: { units: held.units, conversions: held.conversions, ...rateWithInterval(held.conversions, held.units) },
    lift: compareRates({ x: conversions, n: units }, { x: held.conversions, n: held.units }),
  };
}

/** Multivariate variants ("factor=level|factor=level") summed per factor level. */
function levelRows(rows) {
  const factors = new Map();
  for (const [variant, row] of rows) {
    if (variant === HOLDOUT || !variant.includes('=')) continue;
    for (const part of variant.split('|')) {
      const [factor, level] = part.split('=');
      if (!factors.has(factor)) factors.set(factor, new Map());
      const levels = factors.get(factor);
      const sum = levels.get(level) ?? { units: 0, conversions: 0, revenue: 0, revenue_squares: 0 };
      for (const key of Object.keys(sum)) sum[key] += row[key];
      levels.set(level, sum);
    }
  }
  return factors;
}

/** Builds the report from the aggregates of each goal (`goal text → rows`), as `--json` prints it. */
/**
 * Each variant's rate for the first goal over time: cumulative units and conversions by day of
 * first exposure (UTC), with the rate's interval as it stood at the end of each day.
 */
function seriesOf(dailyRows) {
  const byVariant = new Map();
  for (const row of [...dailyRows].sort((a, b) => a.day - b.day)) {
    if (!byVariant.has(row.variant)) byVariant.set(row.variant, { units: 0, conversions: 0, points: [] });
    const variant = byVariant.get(row.variant);
    variant.units += row.units;
    variant.conversions += row.conversions;
    variant.points.push({ day: new Date(row.day * 86_400_000).toISOString().slice(0, 10), units: variant.units, conversions: variant.conversions, ...rateWithInterval(variant.conversions, variant.units) });
  }
  return Object.fromEntries([...byVariant].map(([variant, { points }]) => [variant, points]));
}

export function buildReport(aggregates, { bundle, goals, windowMs, revenueProperty, loaded, daily = [] }) {
  const configs = experimentsOf(bundle);
  const experiments = new Map();
  for (const goal of goals) {
    for (const row of aggregates.get(goal.text) ?? []) {
      if (!experiments.has(row.experiment)) experiments.set(row.experiment, new Map());
      const perGoal = experiments.get(row.experiment);
      if (!perGoal.has(goal.text)) perGoal.set(goal.text, new Map());
      perGoal.get(goal.text).set(row.variant, row);
    }
  }
  const report = {
    events: loaded.events,
    duplicates: loaded.duplicates,
    malformed: loaded.malformed,
    goals: goals.map((goal) => goal.text),
    windowMs,
    revenueProperty,
    experiments: [],
    unknownExperiments: bundle === undefined ? [] : [...experiments.keys()].filter((id) => !configs.has(id)).sort(),
  };
  for (const [id, perGoal] of [...experiments].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const config = configs.get(id);
    const firstRows = perGoal.get(goals[0].text);
    const variants = [...firstRows.keys()];
    const control = controlOf(variants, config);
    const shares = config && expectedShares(config);
    const observed = Object.fromEntries([...firstRows].map(([variant, row]) => [variant, row.units]));
    const entry = {
      id,
      experience: config?.experience ?? null,
      control,
      crossed: [...firstRows.values()].reduce((sum, row) => sum + row.crossed, 0),
      series: { goal: goals[0].text, variants: seriesOf(daily.filter((row) => row.experiment === id)) },
      srm: shares
        ? { expected: shares, observed, ...sampleRatioMismatch(observed, shares) }
        : { expected: null, observed, chiSquare: null, df: null, pValue: null, flagged: false, unexpected: [], skipped: config ? 'no fixed split (bandit or multivariate)' : 'not in the bundle (pass --bundle)' },
      goals: goals.map((goal) => {
        const rows = perGoal.get(goal.text) ?? new Map();
        const levels = levelRows(rows);
        return {
          goal: goal.text,
          variants: goalResult(rows, control),
          holdout: holdoutResult(rows),
          factors: Object.fromEntries(
            [...levels].map(([factor, levelMap]) => {
              const levelIds = [...levelMap.keys()].sort();
              return [factor, goalResult(levelMap, levelIds[0]).map(({ variant, ...rest }) => ({ level: variant, ...rest }))];
            }),
          ),
        };
      }),
    };
    report.experiments.push(entry);
  }
  return report;
}

const interval = (low, high, format) => (low === null || low === undefined ? '' : ` [${format(low)}, ${format(high)}]`);

/** Left-aligned first column, the rest right-aligned. */
function table(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** The report as terminal text. */
export function formatReport(report) {
  const lines = [];
  lines.push(`Attune report: ${report.source ? `aggregates from ${report.source}` : eventsSummary(report)}; goals ${report.goals.join(', ')} within ${report.windowMs / 86_400_000} day(s) of a unit's first exposure; 95% intervals.`);
  if (report.malformed?.count > 0) {
    const shown = report.malformed.lines.map((bad) => `${bad.file}:${bad.line} (${bad.problem})`).join(', ');
    lines.push(`Skipped ${report.malformed.count} malformed line(s): ${shown}${report.malformed.count > report.malformed.lines.length ? ', ...' : ''}`);
  }
  if (report.experiments.length === 0) lines.push('No experiment_exposure events: nothing to report.');
  for (const experiment of report.experiments) {
    lines.push('', `Experiment ${experiment.id}${experiment.experience ? ` (experience ${experiment.experience})` : ''}, control ${experiment.control}`);
    const srm = experiment.srm;
    if (srm.skipped) lines.push(`  Sample ratio: not checked (${srm.skipped}).`);
    else {
      const expected = Object.entries(srm.expected).map(([group, share]) => `${group} ${percent(share / Object.values(srm.expected).reduce((a, b) => a + b, 0), 1)}`).join(', ');
      const verdict = srm.flagged ? `MISMATCH (p < ${SRM_ALPHA}${srm.unexpected.length ? `; units in ${srm.unexpected.join(', ')}, which should get none` : ''}): the split is broken, do not trust the results` : 'OK';
      lines.push(`  Sample ratio: ${verdict}; chi-square ${srm.chiSquare?.toFixed(2) ?? '—'}, df ${srm.df ?? '—'}, p ${pValue(srm.pValue)} (expected ${expected}).`);
    }
    if (experiment.crossed > 0) lines.push(`  ${experiment.crossed} unit(s) were exposed to more than one variant: each counts in its first.`);
    for (const goal of experiment.goals) {
      lines.push('', `  Goal ${goal.goal}:`);
      const rows = goal.variants.map((row) => [
        row.variant,
        row.units,
        row.conversions,
        `${percent(row.rate)}${interval(row.low, row.high, percent)}`,
        row.vsControl ? `${signedPercent(row.vsControl.absolute)}${interval(row.vsControl.absoluteLow, row.vsControl.absoluteHigh, signedPercent)}` : '',
        row.vsControl ? `${signedPercent(row.vsControl.relative)}${interval(row.vsControl.relativeLow, row.vsControl.relativeHigh, signedPercent)}` : '',
        row.vsControl ? pValue(row.vsControl.pValue) : '',
        `${money(row.revenuePerUnit.mean)}${interval(row.revenuePerUnit.low, row.revenuePerUnit.high, money)}`,
      ]);
      for (const line of table(['variant', 'units', 'conv.', 'rate', 'lift (abs.)', 'lift (rel.)', 'p', 'revenue/unit'], rows)) lines.push(`    ${line}`);
      for (const [factor, levels] of Object.entries(goal.factors)) {
        lines.push(`    factor ${factor}: ${levels.map((level) => `${level.level} ${percent(level.rate)} (${level.units} units${level.vsControl ? `, ${signedPercent(level.vsControl.relative)} vs ${levels[0].level}, p ${pValue(level.vsControl.pValue)}` : ''})`).join('; ')}`);
      }
      if (goal.holdout) {
        const { personalized, holdout, lift } = goal.holdout;
        lines.push(`    personalization vs holdout: ${percent(personalized.rate)} (${personalized.units} units) vs ${percent(holdout.rate)} (${holdout.units} units): ${signedPercent(lift.relative)}${interval(lift.relativeLow, lift.relativeHigh, signedPercent)}, p ${pValue(lift.pValue)}`);
      }
    }
  }
  if (report.unknownExperiments.length > 0) lines.push('', `Exposures of experiments the bundle does not have: ${report.unknownExperiments.join(', ')}`);
  return lines.join('\n');
}

/**
 * Reads the events and returns the report (the object `--json` prints). `values` are the command
 * line's: events, bundle, goal, window, revenue. Used by the command and the dev collector's /report.
 */
export async function runReport(values, { stdin = process.stdin } = {}) {
  const { goals, windowMs, revenueProperty, bundle, unit } = reportOptions(values);
  if (!values.events?.length) throw new CliError(`no events: ${USAGE}`, 2);
  const options = { goals, windowMs, revenueProperty, unit };
  const db = await openEventsDatabase();
  let loaded;
  let daily;
  const aggregates = new Map();
  try {
    loaded = await loadEvents(db, values.events, { stdin, tolerant: true });
    for (const goal of goals) aggregates.set(goal.text, await db.all(goalStatement({ ...options, goal })));
    daily = await db.all(goalStatement({ ...options, goal: goals[0] }, true));
  } finally {
    db.close();
  }
  return buildReport(aggregates, { bundle, goals, windowMs, revenueProperty, loaded, daily });
}

/** The options as the statements need them, checked. */
function reportOptions(values) {
  const goals = (values.goal?.length ? values.goal : [DEFAULT_GOAL]).map((text) => {
    const goal = parseGoal(text);
    if (!goal) throw new CliError(`--goal must be an event name, or event:property=value, not "${text}"`, 2);
    return goal;
  });
  const windowMs = durationOption(values.window ?? DEFAULT_WINDOW, '--window');
  const revenueProperty = values.revenue ?? DEFAULT_REVENUE;
  const bundlePath = values.bundle === undefined ? undefined : resolve(values.bundle);
  const bundle = bundlePath === undefined ? undefined : readJsonFile(bundlePath, 'bundle');
  if (bundle !== undefined && (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle))) throw new CliError(`the bundle ${bundlePath} is not a JSON object`);
  // One unit column for the whole report: user_id when the bundle's experiments all use it.
  const configs = [...experimentsOf(bundle).values()];
  const unit = configs.length > 0 && configs.every((config) => config.unit === 'user_id') ? 'user_id' : 'anonymous_id';
  return { goals, windowMs, revenueProperty, bundle, unit };
}

/** The columns a row of aggregates needs (what the statements of --sql return). */
const AGGREGATE_COLUMNS = ['goal', 'experiment', 'variant', 'units', 'conversions', 'revenue', 'revenue_squares', 'crossed'];
const NUMERIC_COLUMNS = new Set(['units', 'conversions', 'revenue', 'revenue_squares', 'crossed']);

/** One CSV line's fields (RFC 4180: quoted fields, "" inside them). */
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') fields.push(field), (field = '');
    else field += char;
  }
  fields.push(field);
  return fields;
}

/** The rows of an aggregates file: a JSON array, NDJSON, or CSV with a header; names lower-cased. */
function readAggregates(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the aggregates file ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  const trimmed = text.trim();
  let rows;
  try {
    if (trimmed.startsWith('[')) rows = JSON.parse(trimmed);
    else if (trimmed.startsWith('{')) rows = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
    else {
      const [header, ...lines] = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
      const names = csvFields(header ?? '');
      rows = lines.map((line) => Object.fromEntries(csvFields(line).map((value, i) => [names[i], value])));
    }
  } catch (error) {
    throw new CliError(`the aggregates file ${path} is neither a JSON array, NDJSON nor CSV: ${error.message}`);
  }
  return rows.map((raw, index) => {
    const row = Object.fromEntries(Object.entries(raw ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
    for (const column of AGGREGATE_COLUMNS) {
      if (row[column] === undefined || row[column] === null || row[column] === '') {
        if (column === 'crossed' || column === 'revenue' || column === 'revenue_squares') row[column] = 0;
        else throw new CliError(`row ${index + 1} of ${path} has no "${column}" (the columns: ${AGGREGATE_COLUMNS.join(', ')})`);
      }
      if (NUMERIC_COLUMNS.has(column)) {
        row[column] = Number(row[column]);
        if (!Number.isFinite(row[column])) throw new CliError(`row ${index + 1} of ${path}: "${column}" is not a number`);
      } else row[column] = String(row[column]);
    }
    return row;
  });
}

/** The report from a warehouse's answers to the --sql statements. */
function reportFromAggregates(values) {
  const path = resolve(values['from-aggregates']);
  const rows = readAggregates(path);
  const { windowMs, revenueProperty, bundle } = reportOptions(values);
  const texts = values.goal?.length ? values.goal : [...new Set(rows.map((row) => row.goal))];
  if (texts.length === 0) throw new CliError(`the aggregates file ${path} has no rows`);
  const goals = texts.map((text) => parseGoal(text) ?? { name: text, text });
  const aggregates = new Map(goals.map((goal) => [goal.text, rows.filter((row) => row.goal === goal.text)]));
  const result = buildReport(aggregates, { bundle, goals, windowMs, revenueProperty, loaded: { events: null, duplicates: 0, malformed: { count: 0, lines: [] } } });
  result.source = path;
  return result;
}

/** attune report: see USAGE and docs/cli.md "Experiment reports". */
export async function report(values, print, warn, { stdin = process.stdin } = {}) {
  if (values['print-sql'] || values.sql !== undefined) {
    const dialect = values.sql ?? 'duckdb';
    if (!Object.hasOwn(DIALECTS, dialect)) throw new CliError(`--sql takes ${Object.keys(DIALECTS).join(', ')}, not "${dialect}"`, 2);
    const { goals, windowMs, revenueProperty, unit } = reportOptions(values);
    return print(printableReportSql({ goals, windowMs, revenueProperty, unit, dialect: values.sql }).trimEnd());
  }
  const result = values['from-aggregates'] !== undefined ? reportFromAggregates(values) : await runReport(values, { stdin });
  if (result.malformed.count > 0 && (values.json || values.html)) warn(`warning: skipped ${result.malformed.count} malformed line(s) (listed in the report)`);
  if (values.html !== undefined) {
    const target = resolve(values.html);
    writeFileSync(target, reportHtml(result));
    print(`Wrote ${target}`);
  }
  if (values.json) print(JSON.stringify(result, null, 2));
  else if (values.html === undefined) print(formatReport(result));
  return result;
}
