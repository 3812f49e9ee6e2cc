import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEvents, openEventsDatabase, type EventsDatabase } from '../src/events-db.mjs';
import { T0, eventMaker, writeNdjson } from './events-fixtures.js';

let dir: string;
let db: EventsDatabase;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attune-events-db-'));
  db = await openEventsDatabase();
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = eventMaker();
const views = (count: number) => Array.from({ length: count }, (_, i) => event('product_viewed', 'v1', 's1', { sku: `K${i}` }, T0 + i * 1000));

describe('loadEvents', () => {
  it('keeps one row per event id and counts the redelivered copies, across files', async () => {
    const events = views(5);
    const first = writeNdjson(dir, 'a.ndjson', [...events.slice(0, 3), events[0]!]);
    const second = writeNdjson(dir, 'b.ndjson', [events[1]!, ...events.slice(3)]);
    expect(await loadEvents(db, [first, second])).toEqual({ events: 5, duplicates: 2 });
    expect(await db.all('SELECT COUNT(DISTINCT id) AS ids FROM attune_events')).toEqual([{ ids: 5 }]);
  });

  it('keeps every event without an id (nothing says two of them are one)', async () => {
    const { id: _, ...anonymous } = views(1)[0]!;
    const file = writeNdjson(dir, 'events.ndjson', [anonymous, anonymous, ...views(2)]);
    expect(await loadEvents(db, [file])).toEqual({ events: 4, duplicates: 0 });
  });

  it('maps the envelope to the event columns, a timestamp that is not a date becoming null', async () => {
    const good = { ...views(1)[0]!, userId: 'u-1', experiments: { 'hero-bandit': 'b' } };
    const file = writeNdjson(dir, 'events.ndjson', [good, { ...views(1)[0]!, timestamp: 'yesterday', properties: { sku: 7 } }]);
    await loadEvents(db, [file]);
    const rows = await db.all(
      `SELECT name, CAST(EXTRACT(EPOCH FROM event_time) * 1000 AS BIGINT) AS event_ms, anonymous_id, user_id, session_id,
              properties ->> 'sku' AS sku, experiments ->> 'hero-bandit' AS arm FROM attune_events ORDER BY sku`,
    );
    expect(rows).toEqual([
      { name: 'product_viewed', event_ms: null, anonymous_id: 'v1', user_id: null, session_id: 's1', sku: '7', arm: null },
      { name: 'product_viewed', event_ms: Date.parse(good.timestamp), anonymous_id: 'v1', user_id: 'u-1', session_id: 's1', sku: 'K0', arm: 'b' },
    ]);
  });

  it('reads gzip-compressed NDJSON', async () => {
    const file = join(dir, 'events.ndjson.gz');
    writeFileSync(file, gzipSync(views(3).map((e) => `${JSON.stringify(e)}\n`).join('')));
    expect(await loadEvents(db, [file])).toEqual({ events: 3, duplicates: 0 });
  });

  it('loads an empty file as no events', async () => {
    expect(await loadEvents(db, [writeNdjson(dir, 'events.ndjson', [])])).toEqual({ events: 0, duplicates: 0 });
  });

  it('names the line of a gzip file that is not JSON', async () => {
    const file = join(dir, 'events.ndjson.gz');
    writeFileSync(file, gzipSync(`${JSON.stringify(views(1)[0])}\n\n${JSON.stringify(views(1)[0])}\n{"id": "x"\n`));
    await expect(loadEvents(db, [file])).rejects.toThrow(/events\.ndjson\.gz: line 4 is not JSON/);
  });

  it('refuses stdin together with files', async () => {
    await expect(loadEvents(db, ['-', writeNdjson(dir, 'events.ndjson', views(1))])).rejects.toThrow('cannot be combined');
  });
});
