import 'fake-indexeddb/auto';
import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import { AttuneError } from '../../src/errors.js';
import { buildEvent, stampIdentity } from '../../src/events/build-event.js';
import { measureEvent, type AttuneEvent } from '../../src/events/event.js';
import { openDatabase } from '../../src/storage/database.js';
import { createStoredQueue } from '../../src/storage/stored-queue.js';
import { jsonAdapter } from '../../src/sync/adapters/json.js';
import { segmentAdapter, type SegmentMessage } from '../../src/sync/adapters/segment.js';
import { snowplowAdapter } from '../../src/sync/adapters/snowplow.js';
import { fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';
import { event as fixtureEvent } from '../sync/adapters/golden.js';

/*
 * Property-based tests of the event envelope: what track(), page() and identify() are given is
 * what the collector receives, after a JSON round trip (what JSON.parse(JSON.stringify(x)) gives),
 * stamped with a time-ordered UUIDv7 id, the time, the visitor's ids and the consent; what the
 * IndexedDB queue holds is what is sent; refused input is reported and counted, never thrown.
 */

/**
 * Deep equality by prototype and Object.is (vitest's compares `constructor` properties, and
 * "constructor" is a key the page may use).
 */
const same = (actual: unknown, expected: unknown): void => deepStrictEqual(actual, expected);

/** JSON.parse(JSON.stringify(x)): what any JSON collector reads. */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Keys, odd ones included ("__proto__" as an own key, unicode). Never email or phone: identify() hashes those. */
const key = fc.oneof(
  fc.constantFrom('sku', 'price', 'a.b', '', '0', '__proto__', 'constructor', 'toString', 'clé', '🔑', 'x y'),
  fc.string({ maxLength: 6, unit: 'binary' }).filter((k) => k !== 'email' && k !== 'phone'),
);
/** Numbers at JSON's edges: -0 (sent as 0), the largest and smallest doubles, 2^53 + 1, NaN and ±Infinity (sent as null). */
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE, 2 ** 53 + 1, 1e21, 0.1 + 0.2, NaN, Infinity, -Infinity),
);
const text = fc.oneof(fc.string({ maxLength: 12, unit: 'binary' }), fc.string({ maxLength: 6, unit: 'grapheme' }), fc.constantFrom('\u2028', '\ud800', 'a\u0000b', '"\\'));
/** Values JSON keeps, and some it changes: a Date (its ISO text), undefined and functions (left out). */
const leaf = fc.oneof(
  { weight: 8, arbitrary: fc.oneof(fc.constant(null), fc.boolean(), number, text) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, () => 1, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))) },
);
const { value } = fc.letrec<{ value: unknown; list: unknown[]; record: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthIdentifier: 'value' }, { weight: 4, arbitrary: leaf }, tie('list'), tie('record')),
  list: fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'value' }),
  record: fc.dictionary(key, tie('value'), { maxKeys: 4, depthIdentifier: 'value' }),
}));
/** Properties or traits: a plain object (possibly without a prototype), or nothing. */
const properties = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(key, value, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
);
const name = fc.oneof(fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }), fc.constantFrom('x'.repeat(200), '🛒'.repeat(100), 'page_view'));
const userId = fc.oneof(fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }), fc.constant('u'.repeat(200)));

const cyclic = (): Record<string, unknown> => {
  const object: Record<string, unknown> = { a: 1 };
  object.self = object;
  return object;
};
const throwingGetter = (): object =>
  Object.defineProperty({}, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
/** Properties track() refuses: not a plain object, not serializable, or far over 32 KB. */
const badProperties = fc.constantFrom<() => unknown>(
  () => [1],
  () => 'sku',
  () => 5,
  () => new Date(0),
  () => new Map([['a', 1]]),
  () => cyclic(),
  () => ({ n: 10n }),
  () => throwingGetter(),
  () => ({ big: 'x'.repeat(40_000) }),
  () => ({ big: 'é'.repeat(20_000) }),
);
const badName = fc.constantFrom<unknown>('', 'x'.repeat(201), 42, null, undefined, {}, ['a']);

type Call =
  | { kind: 'track'; name: unknown; properties: () => unknown; valid: boolean }
  | { kind: 'page'; properties: () => unknown; valid: boolean }
  | { kind: 'identify'; userId: unknown; traits: () => unknown; valid: boolean };

/** The given value, fresh on each run (a cyclic object cannot be shrunk or printed). */
const given = (arb: fc.Arbitrary<unknown>) => arb.map((x) => () => x);

const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('track' as const), name, properties: given(properties), valid: fc.constant(true) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('page' as const), properties: given(properties), valid: fc.constant(true) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('identify' as const), userId, traits: given(fc.dictionary(key, value, { maxKeys: 4 })), valid: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('track' as const), name: badName, properties: given(properties), valid: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('track' as const), name, properties: badProperties, valid: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('page' as const), properties: badProperties, valid: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('identify' as const), userId: badName, traits: given(properties), valid: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('identify' as const), userId, traits: fc.constantFrom(() => cyclic(), () => ({ n: 1n }), () => [1], () => 'plan'), valid: fc.constant(false) }) },
);
/** Milliseconds the clock moves before a call: often not at all, sometimes back (a clock corrected). */
const step = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_600_000 }), fc.integer({ min: -5_000, max: -1 }));

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
/** A page context (of the adapters' golden events), and Segment's page fields taken from it. */
const CONTEXT = fixtureEvent(0).context;
const { path, referrer, search, title, url } = CONTEXT.page;
const PAGE_FIELDS = { path, referrer, search, title, url };
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The Unix milliseconds a UUIDv7 starts with. */
const idMs = (id: string): number => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
const ENVELOPE_KEYS = ['id', 'type', 'name', 'timestamp', 'anonymousId', 'userId', 'sessionId', 'context', 'properties', 'traits', 'consent'];

/** What the collector should receive for one accepted call (the identity stamps are checked apart). */
interface Expected {
  type: AttuneEvent['type'];
  name: string;
  properties: unknown;
  traits?: unknown;
  timestampMs: number;
  userId: string | undefined;
}

// Generous timeouts: the machine may be busy; fast-check stops generating before them.
describe('event envelope properties', { timeout: 30_000 }, () => {
  it('delivers what track(), page() and identify() were given, as JSON, stamped, in order; the queue holds what is sent; refusals are counted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(step, call), { minLength: 1, maxLength: 8 }), async (calls) => {
        freshIndexedDB();
        const collector = fakeCollector();
        const errors: AttuneError[] = [];
        let clock = T0;
        const client = createAttune({
          collectorUrl: 'https://collector.test/e',
          flushIntervalMs: 3_600_000,
          onError: (error) => void errors.push(error),
          environment: { fetch: collector.fetch, storage: memoryStorage(), now: () => clock },
        });
        await client.consent.grant();
        await client.ready;

        const expected: Expected[] = [];
        let user: string | undefined;
        let refused = 0;
        for (const [move, c] of calls) {
          clock += move;
          if (!c.valid) refused++;
          // Nothing the page passes makes these throw.
          if (c.kind === 'track') {
            client.track(c.name as string, c.properties() as Record<string, unknown>);
            if (c.valid) expected.push({ type: 'track', name: c.name as string, properties: json(c.properties() ?? {}), timestampMs: clock, userId: user });
          } else if (c.kind === 'page') {
            client.page(c.properties() as Record<string, unknown>);
            if (c.valid) expected.push({ type: 'page', name: 'page_view', properties: json(c.properties() ?? {}), timestampMs: clock, userId: user });
          } else {
            client.identify(c.userId as string, c.traits() as Record<string, unknown>);
            if (c.valid) {
              user = c.userId as string;
              expected.push({ type: 'identify', name: 'identify', properties: {}, traits: json(c.traits()), timestampMs: clock, userId: user });
            }
          }
        }

        // The collector is down once: the events stay in IndexedDB, where they are read back.
        collector.respondWith = 503;
        await client.flush().catch(() => undefined);
        const db = await openDatabase('attune');
        const stored = (await createStoredQueue(db).peek(1000)).map((peeked) => JSON.parse(peeked.json) as AttuneEvent);
        db.close();
        collector.respondWith = 200;
        await client.flush();

        // The one failed send aside, every report is a refusal.
        const reports = errors.filter((error) => error.code !== 'sync-failed');
        expect(reports.map((error) => [error instanceof AttuneError, error.code])).toEqual(Array(refused).fill([true, 'event-invalid']));
        expect(client.getSnapshot().diagnostics.invalidEvents).toBe(refused);

        const received = collector.events as unknown as AttuneEvent[];
        // The queue held exactly what was sent (IndexedDB keeps a structured clone; JSON makes -0 a 0).
        same(received, json(stored));
        same(received.map((event) => ({ type: event.type, name: event.name, properties: event.properties, traits: event.traits, timestamp: event.timestamp, userId: event.userId })), 
          expected.map((e) => ({ type: e.type, name: e.name, properties: e.properties, traits: e.traits, timestamp: new Date(e.timestampMs).toISOString(), userId: e.userId })),
        );
        const anonymousId = client.getSnapshot().profile.anonymousId;
        received.forEach((event, i) => {
          expect(Object.keys(event).every((k) => ENVELOPE_KEYS.includes(k))).toBe(true);
          expect(event.id).toMatch(UUID_V7);
          // Ids grow with every event, even when the clock goes back; each starts with a time not before its event's.
          if (i > 0) expect(event.id > received[i - 1]!.id).toBe(true);
          expect(idMs(event.id)).toBeGreaterThanOrEqual(expected[i]!.timestampMs);
          expect(event.anonymousId).toBe(anonymousId);
          expect(event.sessionId).toMatch(UUID_V7);
          expect(event.consent).toEqual(['analytics', 'personalization']);
          expect(event.context.channel).toBe('web');
        });
        client.destroy();
      }),
      { numRuns: 40, interruptAfterTimeLimit: 20_000 },
    );
  });

  /** An event as the client builds it: validated, stamped and measured. */
  const builtEvent = fc
    .record({
      type: fc.constantFrom<AttuneEvent['type']>('track', 'page', 'identify'),
      name,
      properties: properties.filter((p) => p !== undefined && p !== null),
      traits: fc.dictionary(key, value, { maxKeys: 4 }),
      userId: fc.option(userId, { nil: null }),
      experiments: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('a', 'b', 'holdout'), { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
      at: fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }),
    })
    .map(({ type, name, properties, traits, userId, experiments, at }) => {
      const event = buildEvent({ type, name, properties, ...(type === 'identify' ? { traits } : {}) }, `019ab1c2-0000-7000-8000-${String(at).padStart(12, '0').slice(-12)}`, T0 + at, CONTEXT);
      stampIdentity(event, { anonymousId: 'anon-1', userId, sessionId: '019ab1c3-0000-7000-8000-000000000001', consent: ['analytics'], experiments });
      measureEvent(event);
      return { event, properties, traits };
    });

  it('json adapter: the batches, in order across requests, are the events after a JSON round trip', () => {
    fc.assert(
      fc.property(fc.array(builtEvent, { maxLength: 12 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), (built, padding, keepalive) => {
        // Large enough events now and then, so batches split into several requests (at 60,000
        // bytes with keepalive, 500,000 without).
        const limit = keepalive ? 60_000 : 500_000;
        const events = built.map(({ event }, i) => (i % 3 === padding ? { ...event, properties: { ...event.properties, pad: 'p'.repeat(limit / 2.4) } } : event));
        const requests = jsonAdapter(events, { url: 'https://c.test/e', sentAt: '2026-11-23T12:02:00.000Z', keepalive });
        const batches = requests.map((request) => JSON.parse(request.body) as { batch: unknown[]; sentAt: string });
        same(batches.flatMap((body) => body.batch), json(events));
        for (const body of batches) expect(body.sentAt).toBe('2026-11-23T12:02:00.000Z');
        for (const request of requests) expect(new TextEncoder().encode(request.body).length <= limit || JSON.parse(request.body).batch.length === 1).toBe(true);
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('segment adapter: each message carries the event’s id, time, ids and its properties or traits as given (JSON)', () => {
    fc.assert(
      fc.property(fc.array(builtEvent, { minLength: 1, maxLength: 6 }), (built) => {
        const events = built.map(({ event }) => event);
        const requests = segmentAdapter()(events, { url: 'https://api.segment.io/v1/batch', sentAt: '2026-11-23T12:02:00.000Z' });
        const messages = requests.flatMap((request) => (JSON.parse(request.body) as { batch: SegmentMessage[] }).batch);
        expect(messages).toHaveLength(events.length);
        messages.forEach((message, i) => {
          const { event, properties, traits } = built[i]!;
          expect([message.messageId, message.timestamp, message.anonymousId, message.userId]).toEqual([event.id, event.timestamp, 'anon-1', event.userId]);
          same(message.context.attune.experiments, event.experiments === undefined ? undefined : json(event.experiments));
          if (event.type === 'track') same([message.event, message.properties], [event.name, json(properties)]);
          // A page's own properties win over the reserved ones Segment fills from the page.
          if (event.type === 'page') same(message.properties, json({ ...PAGE_FIELDS, ...properties }));
          if (event.type === 'identify') same(message.traits, json(traits));
        });
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('snowplow adapter: each payload carries the event’s id and time, and its data as given (JSON)', () => {
    fc.assert(
      fc.property(fc.array(builtEvent, { minLength: 1, maxLength: 6 }), (built) => {
        const events = built.map(({ event }) => event);
        const requests = snowplowAdapter()(events, { url: 'https://sp.test', sentAt: '2026-11-23T12:02:00.000Z' });
        const payloads = requests.flatMap((request) => (JSON.parse(request.body) as { data: Record<string, string>[] }).data);
        expect(payloads).toHaveLength(events.length);
        payloads.forEach((payload, i) => {
          const { event, properties, traits } = built[i]!;
          expect([payload.eid, payload.dtm, payload.duid, payload.uid]).toEqual([event.id, String(Date.parse(event.timestamp)), 'anon-1', event.userId ?? undefined]);
          const contexts = JSON.parse(payload.co!) as { data: { schema: string; data: Record<string, unknown> }[] };
          expect(contexts.data[0]!.data.name).toBe(event.name);
          if (event.type === 'page') {
            expect(payload.e).toBe('pv');
            // Its own properties travel as an entity when JSON keeps any.
            const sent = json(properties) as Record<string, unknown>;
            same(contexts.data[1]?.data, Object.keys(sent).length > 0 ? sent : undefined);
          } else {
            const data = (JSON.parse(payload.ue_pr!) as { data: { data: unknown } }).data.data;
            same(data, json(event.type === 'identify' ? traits : properties));
          }
        });
      }),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });
});
