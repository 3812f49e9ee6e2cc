import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE, T0, eventMaker, runPrintedSql, withRedeliveries, writeNdjson, type StoredEvent } from './events-fixtures.js';
import { runAttune } from './run-cli.js';

const DAY = 24 * 60 * MINUTE;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bundle = {
  id: 'shop',
  version: 1,
  experiences: [
    {
      id: 'cta',
      slot: 'home.cta',
      experiment: { id: 'cta-test', holdout: 0.1 },
      variants: [
        { id: 'control', weight: 1, content: 'a' },
        { id: 'urgency', weight: 1, content: 'b' },
      ],
    },
  ],
};

/** Visitors whose outcomes are known by construction (see each line). */
function events(): StoredEvent[] {
  const make = eventMaker();
  const exposed = (visitor: string, variant: string, at: number, experiment = 'cta-test') =>
    make('experiment_exposure', visitor, `${visitor}-s`, { experiment, variant, experience: 'cta', slot: 'home.cta' }, at);
  const purchase = (visitor: string, at: number, properties: Record<string, unknown> = {}) => make('purchase', visitor, `${visitor}-s`, properties, at);
  return [
    exposed('u1', 'control', T0), purchase('u1', T0 + 60 * MINUTE, { revenue: 30 }), // converts
    exposed('u2', 'control', T0), purchase('u2', T0 + 8 * DAY, { revenue: 99 }), // after the 7-day window: does not
    purchase('u3', T0 - 60 * MINUTE, { revenue: 50 }), exposed('u3', 'urgency', T0), // before the exposure: does not
    exposed('u4', 'urgency', T0), purchase('u4', T0 + MINUTE, { revenue: 10 }), purchase('u4', T0 + 2 * MINUTE, { revenue: '5' }), // once, revenue 15
    exposed('u5', 'urgency', T0), exposed('u5', 'control', T0 + MINUTE), purchase('u5', T0 + 2 * MINUTE, { plan: 'pro' }), // counted in urgency, crossed
    exposed('u6', 'holdout', T0), purchase('u6', T0 + MINUTE, { revenue: 20 }), // the holdout converts
    exposed('u7', 'v1', T0, 'old-test'), // an experiment the bundle no longer has
  ];
}

interface VariantRow {
  variant: string;
  units: number;
  conversions: number;
  revenuePerUnit: { mean: number };
  vsControl?: { absolute: number; pValue: number };
}

describe('attune report', () => {
  it('counts each unit once from its first exposure, conversions within the window, revenue, the holdout and unknown experiments; skips and lists malformed lines', async () => {
    const file = writeNdjson(dir, 'events.ndjson', withRedeliveries(events()));
    appendFileSync(file, 'not json at all\n[1, 2]\n');
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, JSON.stringify(bundle));
    const result = runAttune(dir, 'report', '--events', file, '--bundle', bundlePath, '--goal', 'purchase', '--goal', 'purchase:plan=pro', '--json');
    expect(result.stderr).toContain('skipped 2 malformed line(s)');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.malformed.count).toBe(2);
    expect(report.malformed.lines.map((bad: { line: number }) => bad.line)).toEqual([events().length + Math.ceil(events().length / 3) + 1, events().length + Math.ceil(events().length / 3) + 2]);
    expect(report.unknownExperiments).toEqual(['old-test']);
    const [experiment] = report.experiments.filter((entry: { id: string }) => entry.id === 'cta-test');
    expect(experiment.control).toBe('control');
    expect(experiment.crossed).toBe(1);
    const [purchase, pro] = experiment.goals;
    const byVariant = (rows: VariantRow[]) => Object.fromEntries(rows.map((row) => [row.variant, row])) as Record<'control' | 'urgency' | 'holdout', VariantRow>;
    const rows = byVariant(purchase.variants);
    expect([rows.control.units, rows.control.conversions]).toEqual([2, 1]);
    expect([rows.urgency.units, rows.urgency.conversions]).toEqual([3, 2]);
    expect([rows.holdout.units, rows.holdout.conversions]).toEqual([1, 1]);
    expect(rows.control.revenuePerUnit.mean).toBeCloseTo(15, 9); // 30 over 2 units
    expect(rows.urgency.revenuePerUnit.mean).toBeCloseTo(5, 9); // 10 + 5 over 3 units
    expect(rows.urgency.vsControl!.absolute).toBeCloseTo(2 / 3 - 1 / 2, 9);
    expect(purchase.holdout.personalized).toMatchObject({ units: 5, conversions: 3 });
    expect(purchase.holdout.holdout).toMatchObject({ units: 1, conversions: 1 });
    // The goal with a property filter: only u5's purchase.
    expect(byVariant(pro.variants).urgency.conversions).toBe(1);
    expect(byVariant(pro.variants).control.conversions).toBe(0);
    // Shares expected: 45% / 45% / 10%; 2 / 3 / 1 units is no mismatch at this size.
    expect(experiment.srm).toMatchObject({ flagged: false, df: 2, expected: { control: 0.45, urgency: 0.45, holdout: 0.1 } });
  });

  it('flags a sample ratio mismatch', () => {
    const make = eventMaker();
    const many = [
      ...Array.from({ length: 600 }, (_, i) => make('experiment_exposure', `c${i}`, `c${i}`, { experiment: 'cta-test', variant: 'control' }, T0)),
      ...Array.from({ length: 400 }, (_, i) => make('experiment_exposure', `u${i}`, `u${i}`, { experiment: 'cta-test', variant: 'urgency' }, T0)),
    ];
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, JSON.stringify({ ...bundle, experiences: [{ ...bundle.experiences[0], experiment: { id: 'cta-test' } }] }));
    const result = runAttune(dir, 'report', '--events', writeNdjson(dir, 'e.ndjson', many), '--bundle', bundlePath);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Sample ratio: MISMATCH/);
    expect(result.stdout).toContain('control');
  });

  it('reads every events file of a directory, and prints a terminal table with the lift and its interval', () => {
    const all = events();
    writeNdjson(dir, 'a.ndjson', all.slice(0, 8));
    writeNdjson(dir, 'b.ndjson', all.slice(8));
    const result = runAttune(dir, 'report', '--events', dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Experiment cta-test, control control/);
    expect(result.stdout).toMatch(/urgency\s+3\s+2\s+66\.67%/);
    expect(result.stdout).toMatch(/personalization vs holdout/);
  });

  it('--print-sql gives the warehouse query, which finds the same units and conversions over the raw events', async () => {
    const file = writeNdjson(dir, 'events.ndjson', withRedeliveries(events()));
    const printed = runAttune(dir, 'report', '--print-sql', '--goal', 'purchase');
    expect(printed.status).toBe(0);
    const [rows] = await runPrintedSql(printed.stdout, file);
    const cta = rows!.filter((row) => row.experiment === 'cta-test').map((row) => [row.variant, row.units, row.conversions]);
    expect(cta).toEqual([
      ['control', 2, 1],
      ['holdout', 1, 1],
      ['urgency', 3, 2],
    ]);
  });

  it('--sql <dialect> prints warehouse SQL; what it returns, given back with --from-aggregates, gives the same report as the events', async () => {
    const file = writeNdjson(dir, 'events.ndjson', withRedeliveries(events()));
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, JSON.stringify(bundle));
    const goals = ['--goal', 'purchase', '--goal', 'purchase:plan=pro'];
    const direct = JSON.parse(runAttune(dir, 'report', '--events', file, '--bundle', bundlePath, ...goals, '--json').stdout);
    const printed = runAttune(dir, 'report', '--sql', 'duckdb', ...goals);
    expect(printed.status).toBe(0);
    const rows = (await runPrintedSql(printed.stdout, file)).flat();
    // As a warehouse export: NDJSON, and the same rows as CSV.
    writeNdjson(dir, 'rows.ndjson', rows);
    const columns = Object.keys(rows[0]!);
    const csv = [columns.join(','), ...rows.map((row) => columns.map((column) => JSON.stringify(String(row[column]))).join(','))].join('\n');
    writeFileSync(join(dir, 'rows.csv'), csv);
    for (const exported of ['rows.ndjson', 'rows.csv']) {
      const fromRows = runAttune(dir, 'report', '--from-aggregates', join(dir, exported), '--bundle', bundlePath, '--json');
      expect(fromRows.stderr).toBe('');
      const report = JSON.parse(fromRows.stdout);
      expect(report.goals).toEqual(['purchase', 'purchase:plan=pro']);
      expect(report.experiments.map((e: { id: string; goals: unknown; srm: unknown }) => [e.id, e.goals, e.srm])).toEqual(
        direct.experiments.map((e: { id: string; goals: unknown; srm: unknown }) => [e.id, e.goals, e.srm]),
      );
    }
  });

  it('--sql prints the same statements for BigQuery, Snowflake and ClickHouse (golden text), and refuses another dialect', async () => {
    for (const dialect of ['bigquery', 'snowflake', 'clickhouse']) {
      const printed = runAttune(dir, 'report', '--sql', dialect, '--goal', 'purchase', '--goal', 'signup:plan=pro', '--window', '14d');
      expect(printed.status).toBe(0);
      await expect(printed.stdout).toMatchFileSnapshot(`./golden/report-${dialect}.sql`);
    }
    const refused = runAttune(dir, 'report', '--sql', 'oracle');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--sql takes duckdb, bigquery, snowflake, clickhouse');
  });

  it('refuses an aggregates file without the columns it needs, naming the row and the column', () => {
    writeFileSync(join(dir, 'rows.json'), JSON.stringify([{ goal: 'purchase', experiment: 'e', variant: 'a', units: 10 }]));
    const result = runAttune(dir, 'report', '--from-aggregates', join(dir, 'rows.json'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('row 1 of');
    expect(result.stderr).toContain('no "conversions"');
  });

  it('reads Parquet (here the NDJSON converted by DuckDB, properties as structs) and gives the same report as the NDJSON', async () => {
    const file = writeNdjson(dir, 'events.ndjson', withRedeliveries(events()));
    const parquet = join(dir, 'events.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_json('${file}', format = 'newline_delimited')) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, JSON.stringify(bundle));
    const fromNdjson = JSON.parse(runAttune(dir, 'report', '--events', file, '--bundle', bundlePath, '--json').stdout);
    const fromParquet = runAttune(dir, 'report', '--events', parquet, '--bundle', bundlePath, '--json');
    expect(fromParquet.stderr).toBe('');
    const report = JSON.parse(fromParquet.stdout);
    expect(report.events).toBe(fromNdjson.events);
    expect(report.experiments).toEqual(fromNdjson.experiments);
  });

  it('refuses a goal it cannot read, with the usage', () => {
    const result = runAttune(dir, 'report', '--events', 'x.ndjson', '--goal', ':=');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--goal must be an event name');
  });
});
