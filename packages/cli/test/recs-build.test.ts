import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prng } from '../../../bench/prng.mjs';
import { checkBundle } from '../../core/src/bundle/check-bundle.js';
import { recsBuild, type RecsBuildValues } from '../src/recs-command.mjs';
import { MINUTE, T0, eventMaker, expectRefusal, runPrintedSql, withRedeliveries, writeNdjson, type StoredEvent } from './events-fixtures.js';
import { runAttune } from './run-cli.js';

interface Item {
  id: string;
  popularity?: number;
  neighbors?: Record<string, number>;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-recs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A bundle whose recommender "also-like" has these catalog items. */
function writeBundle(itemIds: readonly string[]): string {
  const file = join(dir, 'shop.json');
  const bundle = {
    schema: 'attune.bundle/1',
    id: 'shop',
    version: 1,
    experiences: [{ id: 'hero', slot: 'home.hero', variants: [{ id: 'a', content: 'hello' }] }],
    content: { hello: { type: 'text', value: 'Hello' } },
    recommenders: [{ id: 'also-like', items: itemIds.map((id) => ({ id })) }],
  };
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}

/** Runs `attune recs build` in this process; returns the catalog items written (checked as browsers check the bundle). */
async function build(events: string, bundle: string, options: RecsBuildValues = {}, stdin?: Readable): Promise<Item[]> {
  const printed: string[] = [];
  await recsBuild({ events: [events], bundle, id: 'also-like', ...options }, (line) => printed.push(line), stdin ? { stdin } : {});
  expect(printed.join('\n')).toContain('Wrote recommender "also-like"');
  const written = JSON.parse(readFileSync(options.out ?? bundle, 'utf8')) as { recommenders: { id: string; items: Item[] }[] };
  expect(() => checkBundle(written)).not.toThrow();
  return written.recommenders[0]!.items;
}

const byId = (items: Item[]): Record<string, Item> => Object.fromEntries(items.map((item) => [item.id, item]));

/**
 * Sessions s1 {A, B}, s2 {A, B, C}, s3 {A, C}, s4 {B}: A is in 3 sessions, B in 3, C in 2;
 * A+B together in 2, A+C in 2, B+C in 1.
 */
function handSessions(): StoredEvent[] {
  const event = eventMaker();
  const view = (session: string, sku: string, minute: number) => event('product_viewed', `v-${session}`, session, { sku }, T0 + minute * MINUTE);
  return [
    view('s1', 'A', 0),
    view('s1', 'B', 1),
    view('s1', 'A', 2), // Viewed again in the same session: still one session.
    view('s2', 'A', 0),
    view('s2', 'B', 1),
    view('s2', 'C', 2),
    view('s3', 'A', 0),
    view('s3', 'C', 1),
    view('s4', 'B', 0),
    view('s4', 'Z', 1), // Not in the catalog.
    event('add_to_cart', 'v-s4', 's4', { sku: 'C' }, T0 + 2 * MINUTE), // Another event: not a view.
  ];
}

describe('attune recs build', () => {
  it('scores co-viewed items by cosine similarity over sessions, keeping pairs seen in at least --min-support sessions', async () => {
    const events = writeNdjson(dir, 'events.ndjson', handSessions());
    const items = byId(await build(events, writeBundle(['A', 'B', 'C', 'D']), { 'min-support': '2' }));
    // A-C: 2 / sqrt(3 × 2) = 0.8165; A-B: 2 / sqrt(3 × 3) = 0.6667; B-C (1 session) is under the support.
    expect(items.A!.neighbors).toEqual({ C: 0.8165, B: 0.6667 });
    expect(Object.keys(items.A!.neighbors!)).toEqual(['C', 'B']);
    expect(items.B!.neighbors).toEqual({ A: 0.6667 });
    expect(items.C!.neighbors).toEqual({ A: 0.8165 });
    expect(items.D!.neighbors).toBeUndefined();
    expect([items.A!.popularity, items.B!.popularity, items.C!.popularity, items.D!.popularity]).toEqual([3, 3, 2, 0]);
  });

  it('counts each session once, so redelivered copies of events change nothing', async () => {
    const clean = await build(writeNdjson(dir, 'clean.ndjson', handSessions()), writeBundle(['A', 'B', 'C', 'D']), { 'min-support': '1' });
    const redelivered = writeNdjson(dir, 'redelivered.ndjson', withRedeliveries(handSessions(), 2));
    expect(await build(redelivered, writeBundle(['A', 'B', 'C', 'D']), { 'min-support': '1' })).toEqual(clean);
  });

  it('adds the pairs of one session with --min-support 1 and drops every pair with --min-support 3', async () => {
    const events = writeNdjson(dir, 'events.ndjson', handSessions());
    const loose = byId(await build(events, writeBundle(['A', 'B', 'C']), { 'min-support': '1' }));
    expect(loose.B!.neighbors).toEqual({ A: 0.6667, C: 0.4082 }); // B-C: 1 / sqrt(3 × 2)
    const strict = await build(events, writeBundle(['A', 'B', 'C']), { 'min-support': '3' });
    expect(strict.map((item) => item.neighbors)).toEqual([undefined, undefined, undefined]);
  });

  it('keeps the --top best neighbors of each item', async () => {
    const events = writeNdjson(dir, 'events.ndjson', handSessions());
    expect(byId(await build(events, writeBundle(['A', 'B', 'C']), { top: '1' })).A!.neighbors).toEqual({ C: 0.8165 });
  });

  it('reads the item from another event and property with --event and --item-property', async () => {
    const event = eventMaker();
    const events = ['s1', 's2'].flatMap((session) =>
      ['P1', 'P2'].map((productId, i) => event('item_view', 'v', session, { product_id: productId }, T0 + i * MINUTE)),
    );
    const file = writeNdjson(dir, 'events.ndjson', events);
    const items = byId(await build(file, writeBundle(['P1', 'P2']), { event: ['item_view'], 'item-property': ['product_id'] }));
    expect(items.P1!.neighbors).toEqual({ P2: 1 });
    expect(byId(await build(file, writeBundle(['P1', 'P2']))).P1!.neighbors).toBeUndefined(); // item_view is not a view by default
  });

  it('by default reads the views and item ids the device keeps in profile.viewed: the first id property set', async () => {
    const event = eventMaker();
    const both = (session: string, properties: Record<string, string>[]) =>
      properties.map((p, i) => event(['product_view', 'product_viewed', 'Product Viewed'][i % 3]!, 'v', session, p, T0 + i * MINUTE));
    const events = [
      ...both('s1', [{ product_id: 'P1', sku: 'IGNORED' }, { sku: 'P2' }]),
      ...both('s2', [{ product_id: '', item_id: 'P1' }, { id: 'P2' }, { sku: 'P3' }]),
      ...both('s3', [{ product_id: 'P2' }, { sku: 'P3' }]),
    ];
    const items = byId(await build(writeNdjson(dir, 'events.ndjson', events), writeBundle(['P1', 'P2', 'P3', 'IGNORED'])));
    // P1 in s1, s2; P2 in s1, s2, s3; P3 in s2, s3.
    expect([items.P1!.popularity, items.P2!.popularity, items.P3!.popularity, items.IGNORED!.popularity]).toEqual([2, 3, 2, 0]);
    expect(items.P2!.neighbors).toEqual({ P1: 0.8165, P3: 0.8165 });
  });

  it('writes into the catalog file of a recommender that has one, and its new SHA-256 into the bundle', async () => {
    const catalogFile = join(dir, 'also-like.catalog.json');
    writeFileSync(catalogFile, JSON.stringify({ schema: 'attune.catalog/1', items: ['A', 'B', 'C', 'D'].map((id) => ({ id })) }));
    const bundle = join(dir, 'shop.json');
    const base = JSON.parse(readFileSync(writeBundle([]), 'utf8')) as Record<string, unknown>;
    writeFileSync(bundle, JSON.stringify({ ...base, recommenders: [{ id: 'also-like', catalog: { url: 'also-like.catalog.json?v=1', sha256: '0'.repeat(64) } }] }));
    const printed: string[] = [];
    await recsBuild({ events: [writeNdjson(dir, 'events.ndjson', handSessions())], bundle, id: 'also-like' }, (line) => printed.push(line));

    const bytes = readFileSync(catalogFile);
    const written = JSON.parse(readFileSync(bundle, 'utf8')) as { recommenders: { catalog: { sha256: string } }[] };
    expect(written.recommenders[0]!.catalog.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(() => checkBundle(written)).not.toThrow();
    const catalog = JSON.parse(bytes.toString('utf8')) as { schema: string; items: Item[] };
    expect(catalog.schema).toBe('attune.catalog/1');
    expect(byId(catalog.items).A).toEqual({ id: 'A', popularity: 3, neighbors: { C: 0.8165, B: 0.6667 } });
  });

  it('reads the events from stdin with --events -', async () => {
    const text = readFileSync(writeNdjson(dir, 'events.ndjson', handSessions()), 'utf8');
    const fromFile = await build(join(dir, 'events.ndjson'), writeBundle(['A', 'B', 'C', 'D']));
    expect(await build('-', writeBundle(['A', 'B', 'C', 'D']), {}, Readable.from([text]))).toEqual(fromFile);
  });

  describe('on 400 generated sessions', () => {
    const catalog = Array.from({ length: 30 }, (_, i) => `I${String(i).padStart(2, '0')}`);

    /** Sessions viewing 1 to 6 items, popular items more often, a few items outside the catalog. */
    function generated(): StoredEvent[] {
      const random = prng(18);
      const event = eventMaker();
      const events: StoredEvent[] = [];
      for (let s = 0; s < 400; s++) {
        const visitor = `v${Math.floor(random() * 150)}`;
        const views = 1 + Math.floor(random() * 6);
        for (let v = 0; v < views; v++) {
          const sku = random() < 0.05 ? 'X-RETIRED' : catalog[Math.floor(random() ** 2 * catalog.length)]!;
          events.push(event(random() < 0.1 ? 'add_to_cart' : 'product_viewed', visitor, `s${s}`, { sku }, T0 + s * 3 * MINUTE + v * 1000));
        }
      }
      return withRedeliveries(events, 7);
    }

    /** The same neighbors, computed independently: sets of items per session, pairs counted by hand. */
    function expected(events: StoredEvent[], minSupport: number, top: number): Record<string, Item> {
      const inCatalog = new Set(catalog);
      const sessions = new Map<string, Set<string>>();
      for (const e of events) {
        const sku = e.properties.sku as string;
        if (e.name !== 'product_viewed' || !inCatalog.has(sku)) continue;
        if (!sessions.has(e.sessionId)) sessions.set(e.sessionId, new Set());
        sessions.get(e.sessionId)!.add(sku);
      }
      const seen = new Map<string, number>();
      const together = new Map<string, number>();
      for (const items of sessions.values()) {
        for (const a of items) {
          seen.set(a, (seen.get(a) ?? 0) + 1);
          for (const b of items) if (a !== b) together.set(`${a} ${b}`, (together.get(`${a} ${b}`) ?? 0) + 1);
        }
      }
      const result: Record<string, Item> = {};
      for (const a of catalog) {
        const candidates = catalog
          .filter((b) => (together.get(`${a} ${b}`) ?? 0) >= minSupport)
          .map((b) => {
            const support = together.get(`${a} ${b}`)!;
            return { b, support, score: support / Math.sqrt(seen.get(a)! * seen.get(b)!) };
          })
          .sort((x, y) => y.score - x.score || y.support - x.support || (x.b < y.b ? -1 : 1))
          .slice(0, top);
        result[a] = {
          id: a,
          popularity: seen.get(a) ?? 0,
          ...(candidates.length > 0 ? { neighbors: Object.fromEntries(candidates.map(({ b, score }) => [b, Number(score.toPrecision(4))])) } : {}),
        };
      }
      return result;
    }

    it('writes the neighbors and popularity an independent computation finds', async () => {
      const events = generated();
      const file = writeNdjson(dir, 'events.ndjson', events);
      for (const [minSupport, top] of [
        [2, 10],
        [4, 3],
      ] as const) {
        const items = await build(file, writeBundle(catalog), { 'min-support': String(minSupport), top: String(top) });
        const want = expected(events, minSupport, top);
        expect(items.filter((item) => item.neighbors).length).toBeGreaterThan(10);
        for (const item of items) {
          expect(item).toEqual(want[item.id]);
          expect(Object.keys(item.neighbors ?? {})).toEqual(Object.keys(want[item.id]!.neighbors ?? {}));
        }
      }
    });

    it('prints SQL that, run in DuckDB over the raw events (duplicates kept), gives the same neighbors and popularity', async () => {
      const file = writeNdjson(dir, 'events.ndjson', generated());
      const items = byId(await build(file, writeBundle(catalog), { 'min-support': '3', top: '5' }));
      const printed: string[] = [];
      await recsBuild({ 'print-sql': true, 'min-support': '3', top: '5' }, (line) => printed.push(line));
      const [neighborRows, popularityRows] = await runPrintedSql(printed.join('\n'), file, catalog);

      expect(neighborRows!.length).toBeGreaterThan(20);
      for (const row of neighborRows!) {
        const neighbors = items[row.item_id as string]!.neighbors!;
        expect(Object.keys(neighbors)[(row.neighbor_rank as number) - 1]).toBe(row.neighbor_id);
        expect(neighbors[row.neighbor_id as string]).toBeCloseTo(row.score as number, 3);
      }
      const listed = Object.values(items).reduce((sum, item) => sum + Object.keys(item.neighbors ?? {}).length, 0);
      expect(neighborRows!.length).toBe(listed);
      expect(popularityRows!.map((row) => [row.item_id, row.sessions])).toEqual(
        Object.values(items)
          .filter((item) => item.popularity! > 0)
          .sort((a, b) => b.popularity! - a.popularity! || (a.id < b.id ? -1 : 1))
          .map((item) => [item.id, item.popularity]),
      );
    });
  });
});

describe('attune recs build with bad input', () => {
  const attune = (...args: string[]) => runAttune(dir, ...args);

  it('says which events file is missing', () => {
    const bundle = writeBundle(['A']);
    const before = readFileSync(bundle, 'utf8');
    expectRefusal(attune('recs', 'build', '--events', 'nope.ndjson', '--bundle', bundle, '--id', 'also-like'), bundle, before, /cannot read the events file .*nope\.ndjson/);
  });

  it('names the first line that is not a JSON object', () => {
    const bundle = writeBundle(['A']);
    const before = readFileSync(bundle, 'utf8');
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, `${JSON.stringify(handSessions()[0])}\n{"id": "x", "name": \n`);
    expectRefusal(attune('recs', 'build', '--events', file, '--bundle', bundle, '--id', 'also-like'), bundle, before, /not NDJSON .*line 2 is not JSON/);
    writeFileSync(file, '[{"id": "x"}]\n');
    expectRefusal(attune('recs', 'build', '--events', file, '--bundle', bundle, '--id', 'also-like'), bundle, before, /line 1 is not a JSON object/);
  });

  it('names the recommenders the bundle has when the --id is not one of them', () => {
    const bundle = writeBundle(['A']);
    const before = readFileSync(bundle, 'utf8');
    const events = writeNdjson(dir, 'events.ndjson', handSessions());
    expectRefusal(attune('recs', 'build', '--events', events, '--bundle', bundle, '--id', 'top-sellers'), bundle, before, /no recommender "top-sellers" \(recommenders\[\] ids: "also-like"\)/);
  });

  it('refuses a bundle file that is missing or not JSON', () => {
    const events = writeNdjson(dir, 'events.ndjson', handSessions());
    const missing = attune('recs', 'build', '--events', events, '--bundle', 'none.json', '--id', 'also-like');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the bundle .*none\.json/);
    const bundle = join(dir, 'shop.json');
    writeFileSync(bundle, '{ not json');
    expectRefusal(attune('recs', 'build', '--events', events, '--bundle', bundle, '--id', 'also-like'), bundle, '{ not json', /the bundle .* is not valid JSON/);
  });

  it('exits with 2 for a count that is not a whole number, or more neighbors than a catalog item may have', () => {
    const result = attune('recs', 'build', '--print-sql', '--min-support', '1.5');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--min-support must be a whole number from 1 to');
    expect(attune('recs', 'build', '--print-sql', '--top', '101')).toMatchObject({ status: 2, stderr: expect.stringContaining('--top must be a whole number from 1 to 100') });
  });

  it('says where to pass the catalog file when its URL is not beside the bundle', () => {
    const bundle = join(dir, 'shop.json');
    const catalog = { url: 'https://cdn.example/also-like.json', sha256: '0'.repeat(64) };
    writeFileSync(bundle, JSON.stringify({ ...JSON.parse(readFileSync(writeBundle([]), 'utf8')), recommenders: [{ id: 'also-like', catalog }] }));
    const events = writeNdjson(dir, 'events.ndjson', handSessions());
    const result = attune('recs', 'build', '--events', events, '--bundle', bundle, '--id', 'also-like');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"https://cdn.example/also-like.json": pass --catalog <file>');
  });
});
