import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type AttuneDatabase, type QueuedEvent } from '../../src/storage/database.js';
import { appendChunk, CHUNK_EVENTS, createStoredQueue } from '../../src/storage/stored-queue.js';
import type { AttuneEvent } from '../../src/events/event.js';
import { freshIndexedDB } from '../support.js';

let db: AttuneDatabase;
beforeEach(async () => {
  freshIndexedDB();
  db = await openDatabase('attune');
});

let nextId = 0;
/** Time-ordered ids, like UUIDv7s. */
const record = (bytes = 100): QueuedEvent => {
  const id = `id-${String(nextId++).padStart(6, '0')}`;
  return { id, bytes, event: { id, type: 'track', name: 'e', timestamp: '2026-11-23T12:00:00.000Z', properties: {} } as unknown as AttuneEvent };
};

async function append(records: QueuedEvent[], caps = { maxEvents: 1000, maxBytes: 1_000_000 }): Promise<number> {
  const tx = db.transaction(['queue', 'meta'], 'readwrite');
  const { dropped } = await appendChunk(tx.objectStore('queue'), tx.objectStore('meta'), records, caps);
  await tx.done;
  return dropped;
}

const totals = async () => [await db.get('meta', 'queueCount'), await db.get('meta', 'queueBytes')];
const ids = (events: { id: string }[]) => events.map((event) => event.id);

describe('the stored queue', () => {
  it('stores a burst of events as one record and peeks them back oldest first', async () => {
    const first = [record(), record(), record()];
    const second = [record(), record()];
    await append(first);
    await append(second);
    expect(await db.count('queue')).toBe(2);
    const queue = createStoredQueue(db);
    expect(ids(await queue.peek(10))).toEqual(ids([...first, ...second]));
    expect(ids(await queue.peek(4))).toEqual(ids([...first, second[0]!]));
    expect(await totals()).toEqual([5, 500]);
  });

  it('removes delivered events from any chunk and keeps the running totals right', async () => {
    const first = [record(10), record(20), record(30)];
    const second = [record(40), record(50)];
    await append(first);
    await append(second);
    const queue = createStoredQueue(db);
    await queue.remove([first[1]!.id, second[0]!.id, second[1]!.id, 'not-queued']);
    expect(ids(await queue.peek(10))).toEqual([first[0]!.id, first[2]!.id]);
    expect(await db.count('queue')).toBe(1);
    expect(await totals()).toEqual([2, 40]);
  });

  it('finds events of a chunk whose key is older than events of another tab written in between', async () => {
    // Tab A wrote [a1, a3] and tab B [b2]: removing a3 must not stop at b2's chunk.
    const [a1, b2, a3] = [record(), record(), record()];
    await append([a1!, a3!]);
    await append([b2!]);
    const queue = createStoredQueue(db);
    await queue.remove([a3!.id]);
    expect(ids(await queue.peek(10)).sort()).toEqual([a1!.id, b2!.id]);
  });

  it('drops the oldest events across chunks when the count cap is passed', async () => {
    const old = [record(), record(), record()];
    await append(old);
    const dropped = await append([record(), record()], { maxEvents: 4, maxBytes: 1_000_000 });
    expect(dropped).toBe(1);
    const queue = createStoredQueue(db);
    expect(ids(await queue.peek(10))[0]).toBe(old[1]!.id);
    expect(await totals()).toEqual([4, 400]);
  });

  it('drops the oldest events when the byte cap is passed', async () => {
    await append([record(300), record(300)]);
    const dropped = await append([record(300)], { maxEvents: 1000, maxBytes: 700 });
    expect(dropped).toBe(1);
    expect(await totals()).toEqual([2, 600]);
  });

  it('keeps the newest events of a burst bigger than the caps', async () => {
    await append([record()]);
    const burst = Array.from({ length: 10 }, () => record());
    const dropped = await append(burst, { maxEvents: 4, maxBytes: 1_000_000 });
    expect(dropped).toBe(7);
    expect(ids(await createStoredQueue(db).peek(10))).toEqual(ids(burst.slice(6)));
    expect(await totals()).toEqual([4, 400]);
  });

  it('clears events and totals', async () => {
    await append([record(), record()]);
    const queue = createStoredQueue(db);
    await queue.clear();
    expect(await queue.peek(10)).toEqual([]);
    expect(await totals()).toEqual([0, 0]);
  });
});

describe('a batch over many chunks (a backlog of spaced events)', () => {
  it('peeks the oldest events in order across chunks of any size, and removes exactly them', async () => {
    const spaced = Array.from({ length: 70 }, () => [record(10)]); // one event per write
    const burst = Array.from({ length: CHUNK_EVENTS }, () => record(10));
    const late = Array.from({ length: 30 }, () => [record(10)]);
    for (const chunk of spaced) await append(chunk);
    await append(burst);
    for (const chunk of late) await append(chunk);
    const all = [...spaced.flat(), ...burst, ...late.flat()];
    const queue = createStoredQueue(db);

    const batch = await queue.peek(100);
    expect(ids(batch)).toEqual(ids(all.slice(0, 100)));
    await queue.remove(ids(batch));
    expect(ids(await queue.peek(1000))).toEqual(ids(all.slice(100)));
    expect(await totals()).toEqual([50, 500]);
  });

  it('removes what a chunk still holds when it changed between peek and remove, with the totals right', async () => {
    const chunk = [record(10), record(20), record(30)];
    await append(chunk);
    const queue = createStoredQueue(db);
    const batch = await queue.peek(10);
    // The page-hide send delivered the middle one meanwhile (another queue object, as another path).
    await createStoredQueue(db).remove([chunk[1]!.id]);
    await queue.remove(ids(batch));
    expect(await queue.peek(10)).toEqual([]);
    expect(await totals()).toEqual([0, 0]);
  });

  it('removes the events of one peek one at a time (a refused batch re-sent event by event)', async () => {
    const chunk = [record(10), record(20), record(30)];
    await append(chunk);
    const queue = createStoredQueue(db);
    const batch = await queue.peek(10);
    for (const event of batch) await queue.remove([event.id]);
    expect(await queue.peek(10)).toEqual([]);
    expect(await db.count('queue')).toBe(0);
    expect(await totals()).toEqual([0, 0]);
  });

  it('keeps the totals exact when another tab trims the peeked chunk to the caps before the remove', async () => {
    const old = [record(10), record(10), record(10)];
    await append(old);
    const queue = createStoredQueue(db);
    const batch = await queue.peek(10);
    // Another tab's burst passes the count cap: the two oldest events are dropped from the peeked chunk.
    expect(await append([record(10), record(10)], { maxEvents: 3, maxBytes: 1_000_000 })).toBe(2);
    await queue.remove(ids(batch));
    expect(await queue.peek(10)).toHaveLength(2);
    expect(await totals()).toEqual([2, 20]);
  });

  it('removes ids it did not peek (one event of a refused batch, another tab) as well', async () => {
    const first = [record(10), record(20)];
    const second = [record(30)];
    await append(first);
    await append(second);
    const queue = createStoredQueue(db);
    await queue.peek(1);
    await queue.remove([first[1]!.id, second[0]!.id]);
    expect(ids(await queue.peek(10))).toEqual([first[0]!.id]);
    expect(await totals()).toEqual([1, 10]);
  });
});

describe('totals and chunks changed outside the SDK', () => {
  it.each([
    ['far over the caps', 1e300, 5e300],
    ['not numbers', 'many', 'lots'],
  ])('counts the queue again instead of dropping good events when the totals are %s', async (_, count, bytes) => {
    const kept = [record(), record(), record()];
    await append(kept);
    await db.put('meta', count as never, 'queueCount');
    await db.put('meta', bytes as never, 'queueBytes');
    const next = [record()];
    expect(await append(next)).toBe(0);
    expect(ids(await createStoredQueue(db).peek(10))).toEqual(ids([...kept, ...next]));
    expect(await totals()).toEqual([4, 400]);
  });

  it('trims to lowered caps, oldest first, with the totals right', async () => {
    await append([record(), record(), record(), record()]);
    const next = [record()];
    expect(await append(next, { maxEvents: 2, maxBytes: 1_000_000 })).toBe(3);
    expect(await createStoredQueue(db).peek(10)).toHaveLength(2);
    expect(await totals()).toEqual([2, 200]);
  });

  it('removes delivered events around a chunk without a list of events, and trims past it', async () => {
    const older = [record(), record()];
    await append(older);
    await db.put('queue', { key: 'id-', events: 'garbage' } as never);
    const newer = [record(), record()];
    await append(newer);
    const queue = createStoredQueue(db);
    expect(ids(await queue.peek(10))).toEqual(ids([...older, ...newer]));
    await queue.remove(ids([older[0]!, newer[1]!]));
    expect(ids(await queue.peek(10))).toEqual(ids([older[1]!, newer[0]!]));
    expect(await append([record()], { maxEvents: 1, maxBytes: 1_000_000 })).toBe(2);
    expect(await queue.peek(10)).toHaveLength(1);
  });
});

describe('acknowledgement', () => {
  it('deletes the delivered chunks, keeping one another tab wrote between them', async () => {
    const [a1, a2, b3, b4, c5, c6] = [record(), record(), record(), record(), record(), record()];
    await append([a1!, a2!]);
    await append([c5!, c6!]);
    const queue = createStoredQueue(db);
    expect(ids(await queue.peek(10))).toEqual(ids([a1!, a2!, c5!, c6!]));
    await append([b3!, b4!]); // Another tab, while the batch was being sent.
    await queue.remove(ids([a1!, a2!, c5!, c6!]));
    expect(ids(await queue.peek(10))).toEqual(ids([b3!, b4!]));
    expect(await db.count('queue')).toBe(1);
    expect(await totals()).toEqual([2, 200]);
  });

  it('reads the next events with the removal, after it, and none unless asked', async () => {
    const events = Array.from({ length: CHUNK_EVENTS + 10 }, () => record());
    await append(events.slice(0, CHUNK_EVENTS));
    await append(events.slice(CHUNK_EVENTS));
    const queue = createStoredQueue(db);
    const batch = await queue.peek(CHUNK_EVENTS - 5);
    const next = await queue.remove(ids(batch), 8);
    expect(ids(next)).toEqual(ids(events.slice(CHUNK_EVENTS - 5, CHUNK_EVENTS + 3)));
    // What it read is what a peek would have: removing it needs no second read either.
    await queue.remove(ids(next));
    expect(ids(await queue.peek(100))).toEqual(ids(events.slice(CHUNK_EVENTS + 3)));
    expect(await queue.remove(ids(events.slice(CHUNK_EVENTS + 3)))).toEqual([]);
    expect(await queue.remove([], 5)).toEqual([]);
    expect(await totals()).toEqual([0, 0]);
  });

  it('deletes a run of delivered chunks and keeps the rest of a chunk delivered in part', async () => {
    const events = Array.from({ length: 3 * CHUNK_EVENTS }, () => record());
    for (let start = 0; start < events.length; start += CHUNK_EVENTS) await append(events.slice(start, start + CHUNK_EVENTS));
    const queue = createStoredQueue(db);
    const batch = await queue.peek(2 * CHUNK_EVENTS + 5);
    await queue.remove(ids(batch));
    expect(ids(await queue.peek(1000))).toEqual(ids(events.slice(2 * CHUNK_EVENTS + 5)));
    expect(await db.count('queue')).toBe(1);
    expect(await totals()).toEqual([CHUNK_EVENTS - 5, (CHUNK_EVENTS - 5) * 100]);
  });
});

describe('the events as text', () => {
  it('stores each event as the JSON text it is sent as, and peeks that text', async () => {
    const events = [record(), record()];
    await append(events);
    const [chunk] = await db.getAll('queue');
    expect(chunk!.events).toEqual(events.map(({ id, bytes, event }) => ({ id, bytes, json: JSON.stringify(event) })));
    expect((await createStoredQueue(db).peek(10)).map(({ id, json }) => ({ id, json }))).toEqual(events.map(({ id, event }) => ({ id, json: JSON.stringify(event) })));
  });

  it('reads, removes and trims chunks an earlier version stored with the events as objects', async () => {
    const old = [record(10), record(20), record(30)];
    await db.put('queue', { key: old[0]!.id, events: old });
    await db.put('meta', 3, 'queueCount');
    await db.put('meta', 60, 'queueBytes');
    const queue = createStoredQueue(db);
    expect((await queue.peek(10)).map((peeked) => peeked.json)).toEqual(old.map((queued) => JSON.stringify(queued.event)));
    await queue.remove([old[1]!.id]);
    const [chunk] = await db.getAll('queue');
    expect(chunk!.events).toEqual([old[0]!, old[2]!].map(({ id, bytes, event }) => ({ id, bytes, json: JSON.stringify(event) })));
    expect(await totals()).toEqual([2, 40]);
    expect(await append([record(5)], { maxEvents: 2, maxBytes: 1_000_000 })).toBe(1);
    expect(ids(await queue.peek(10))).toEqual([old[2]!.id, `id-${String(nextId - 1).padStart(6, '0')}`]);
  });
});

describe('entries that are not events (changed outside the SDK)', () => {
  /** Entries of every kind that is not a queued event, with the events of one chunk between them. */
  async function tamperedChunk() {
    const events = [record(), record()];
    await append(events);
    const wrong = (change: Record<string, unknown>) => {
      const { id, bytes, event } = record();
      return { id, bytes, event: { ...event, ...change } };
    };
    const notEvents = [
      { id: 'x', bytes: 1, event: { name: 'no id or type' } }, wrong({ type: 7 }), wrong({ name: null }), wrong({ timestamp: 0 }), wrong({ properties: 'x' }), wrong({ id: 'another' }), 'junk', null,
      { id: 'y', bytes: 1, json: '{"id":"another"}' }, { id: 'z', bytes: 1, json: 'not an object "id":"z"' }, { id: 'w', bytes: 1, json: 7 },
    ];
    const [chunk] = await db.getAll('queue');
    await db.put('queue', { key: chunk!.key, events: [...notEvents.slice(0, 4), events[0]!, ...notEvents.slice(4), events[1]!] as never });
    return events;
  }

  it('peeks the events around them, never them, and says so', async () => {
    const events = await tamperedChunk();
    const skipped = vi.fn();
    expect((await createStoredQueue(db, skipped).peek(10)).map((peeked) => JSON.parse(peeked.json) as unknown)).toEqual(events.map((queued) => queued.event));
    expect(skipped).toHaveBeenCalled();
  });

  it('removes them with the last events of their chunk', async () => {
    const events = await tamperedChunk();
    await createStoredQueue(db).remove(ids(events));
    expect(await db.count('queue')).toBe(0);
  });
});

describe('chunk size', () => {
  it('splits a long burst into chunks of at most CHUNK_EVENTS events, in order', async () => {
    const burst = Array.from({ length: CHUNK_EVENTS * 2 + 1 }, () => record());
    await append(burst);
    expect(await db.count('queue')).toBe(3);
    expect(ids(await createStoredQueue(db).peek(1000))).toEqual(ids(burst));
  });
});
