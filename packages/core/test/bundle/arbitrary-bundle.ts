import fc from 'fast-check';

/*
 * fast-check arbitraries of bundles: valid ones (every rule of format v1 kept, so validateBundle
 * accepts them) and mutations of them (wrong types, missing and extra keys, numbers out of range,
 * duplicate and dangling ids, odd keys such as "__proto__", deep nesting).
 */

type Json = Record<string, unknown>;

/** Ids, including names of Object.prototype's members (valid ids that must not read it). */
const word = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', '-', '_', 'é', '7'), minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', 'x'.repeat(200)) },
);
const ids = (min: number, max: number) => fc.uniqueArray(word, { minLength: min, maxLength: max });
const pick = <T>(list: readonly T[]) => fc.constantFrom(...list);
/** A valid date-time, with or without fractions and an offset. */
const dateTime = fc
  .tuple(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom('Z', '+02:00', '-05:30'), fc.boolean())
  .map(([ms, zone, fraction]) => new Date(ms).toISOString().slice(0, fraction ? 23 : 19) + zone);
/** Two increasing date-times (both in UTC, so their order is the order of their texts' times). */
const interval = fc
  .tuple(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: 1, max: 1e10 }))
  .map(([start, length]) => [new Date(start).toISOString(), new Date(start + length).toISOString()] as const);
const share = fc.double({ min: 0, max: 1, noNaN: true });
const weight = fc.integer({ min: 1, max: 5 });
const rule = fc.constantFrom<unknown>(true, false, { '==': [1, 1] }, { '>=': [{ var: 'profile.counters.viewed' }, 2] }, { in: ['vip', { var: 'profile.segments' }] });
/** Arms (variants or levels) with unique ids, each naming existing content. */
const arms = (contentIds: readonly string[], min: number) =>
  fc.uniqueArray(fc.record({ id: word, weight, content: pick(contentIds) }, { requiredKeys: ['id', 'content'] }), { minLength: min, maxLength: 3, selector: (arm) => arm.id });

const cap = fc.record({ count: fc.integer({ min: 1, max: 20 }), per: fc.constantFrom('session', 'day', 'lifetime') });
/** One cap, or a list with one cap per period at most. */
const caps = fc.oneof(cap, fc.uniqueArray(cap, { minLength: 1, maxLength: 3, selector: (c) => c.per }));

function experienceOf(id: string, experimentId: string, contentIds: readonly string[], segmentIds: readonly string[]) {
  const audience = segmentIds.length > 0 ? fc.record({ segment: pick(segmentIds), rule }, { requiredKeys: [] }) : fc.record({ rule }, { requiredKeys: [] });
  const factors = fc.uniqueArray(fc.record({ id: word, levels: arms(contentIds, 1) }), { minLength: 1, maxLength: 2, selector: (f) => f.id });
  const experiment = fc.record(
    { id: fc.constant(experimentId), unit: fc.constantFrom('anonymousId', 'userId'), traffic: share, holdout: share, factors },
    { requiredKeys: ['id'] },
  );
  const fields = fc.record(
    {
      slot: word,
      priority: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
      audience,
      schedule: fc.oneof(interval.map(([start, end]) => ({ start, end })), dateTime.map((start) => ({ start })), dateTime.map((end) => ({ end }))),
      cap: caps,
      group: word,
      experiment,
    },
    { requiredKeys: ['slot'] },
  );
  return fc.tuple(fields, arms(contentIds, 1), fc.boolean()).map(([fields, variants, withDefault]) => ({ id, ...fields, variants, ...(withDefault ? { default: variants[0]!.id } : {}) }));
}

const meta = fc.dictionary(word, fc.jsonValue({ maxDepth: 2 }));
const contentEntry = fc.oneof(
  fc.record({ type: fc.constant('text'), value: fc.string(), meta }, { requiredKeys: ['type', 'value'] }),
  fc.record({ type: fc.constant('json'), value: fc.jsonValue({ maxDepth: 3 }), meta }, { requiredKeys: ['type', 'value'] }),
);
const extension = ids(0, 3).map((list) => list.map((id, i) => ({ id, rank: i, note: 'any other field' })));

/** A bundle that validateBundle accepts: every reference resolves, ids are unique, weights and dates usable. */
export const validBundle: fc.Arbitrary<Json> = fc
  .record({
    contentIds: ids(1, 4),
    segmentIds: ids(0, 3),
    stageIds: ids(0, 2),
    experienceIds: ids(0, 4),
    segmentRefs: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .chain(({ contentIds, segmentIds, stageIds, experienceIds, segmentRefs }) =>
    fc.record({
      content: fc.tuple(...contentIds.map(() => contentEntry)).map((entries) => Object.fromEntries(contentIds.map((id, i) => [id, entries[i]]))),
      experiences: fc.tuple(...experienceIds.map((id, i) => experienceOf(id, `exp-${i}`, contentIds, segmentIds))),
      top: fc.record(
        { version: fc.oneof(fc.nat(), fc.nat().map(String)), dates: interval, models: extension, recommenders: extension, triggers: extension },
        { requiredKeys: ['version'] },
      ),
      segmentRules: fc.tuple(...segmentIds.map(() => rule)),
      // Segments refer only to earlier ones: no cycles.
      segments: fc.constant(segmentIds.map((id, i) => ({ id, ref: i > 0 && segmentRefs[i] !== undefined ? segmentIds[segmentRefs[i]! % i] : undefined }))),
      stages: fc.constant(stageIds.map((id) => ({ id, when: true }))),
    }),
  )
  .map(({ content, experiences, top, segmentRules, segments, stages }) => {
    const { dates, ...rest } = top;
    const bundle: Json = { schema: 'attune.bundle/1', id: 'shop', ...rest, experiences, content };
    if (dates) [bundle.generatedAt, bundle.expiresAt] = dates;
    if (segments.length > 0) bundle.segments = segments.map(({ id, ref }, i) => ({ id, when: ref === undefined ? segmentRules[i] : { and: [{ segment: ref }, segmentRules[i]] } }));
    if (stages.length > 0) bundle.stages = stages;
    return bundle;
  });

/** A rule nested 5,000 levels deep (shared, never changed). */
export let deep: unknown = { segment: 'deep' };
for (let i = 0; i < 5_000; i++) deep = [deep];

/** Values that break one rule or another: wrong types, bounds, reserved or odd ids, bad dates, deep nesting. */
const oddValue = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    'x'.repeat(201),
    -1,
    0,
    0.5,
    1.5,
    2,
    Number.NaN,
    Infinity,
    -Infinity,
    null,
    undefined,
    true,
    [],
    {},
    [{}],
    '__proto__',
    'constructor',
    'holdout',
    'a|b',
    'x=y',
    'attune.bundle/1',
    'attune.bundle/2',
    'text',
    'json',
    'html',
    'day',
    'week',
    'userId',
    '1',
    '01',
    '1'.repeat(16),
    'tomorrow',
    '2026-02-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:00:00',
    '2030-01-01T00:00:00Z',
    '1999-01-01T00:00:00+01:00',
    { type: 'text', value: 1 },
    { type: 'text', value: 'ok' },
    { count: 1, per: 'day' },
    { count: 1.5, per: 'day' },
    [{ count: 1, per: 'day' }, { count: 2, per: 'day' }],
    { id: 'v', content: 'nowhere' },
    { id: 'v', weight: 0, content: 'x' },
    { segment: 'loop' },
    deep,
  ).map((value) => (value === deep ? deep : structuredClone(value))),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Keys to add, besides the ones already there. */
const oddKey = fc.constantFrom('__proto__', 'constructor', 'toString', '$schema', 'id', 'content', 'value', 'type', 'weight', 'cap', 'when', 'segment', 'default', 'version', 'extra', 'loop');

/** One change to a value: resolved at apply time against the containers (objects, arrays) it holds then. */
const mutation = fc.record({
  op: fc.constantFrom('set', 'set', 'set', 'delete', 'duplicate', 'reference'),
  target: fc.nat(),
  key: fc.oneof(fc.nat().map((n) => n as number | string), oddKey),
  value: oddValue,
  pick: fc.nat(),
});

function containersOf(value: unknown): object[] {
  const out: object[] = [];
  const todo = [value];
  while (todo.length > 0 && out.length < 500) {
    const node = todo.pop();
    if (node === null || typeof node !== 'object' || node === deep) continue;
    out.push(node);
    todo.push(...Object.values(node));
  }
  return out;
}

/** Every string in a value (ids to reference from elsewhere, making duplicates and loops). */
const stringsOf = (value: unknown): string[] => containersOf(value).flatMap((node) => Object.values(node).filter((item): item is string => typeof item === 'string'));

/** Sets an own key (even "__proto__"), as JSON.parse does. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bundle: Json, changes: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(bundle);
  for (const change of changes) {
    const containers = containersOf(root);
    const target = containers[change.target % containers.length] as Record<string, unknown> & unknown[];
    const keys = Object.keys(target);
    // A number picks a key there is (or "0"/"1" in an empty container: "1" leaves a hole in an array).
    const key = typeof change.key === 'string' ? change.key : keys.length === 0 ? String(change.key % 2) : keys[change.key % keys.length]!;
    if (change.op === 'set') {
      if (change.target % 7 === 0 && change.key === 0) root = change.value;
      else define(target, key, change.value);
    } else if (change.op === 'delete') {
      if (Array.isArray(target) && keys.includes(key)) target.splice(Number(key), 1);
      else delete target[key];
    } else if (change.op === 'duplicate') {
      if (Array.isArray(target) && target.length > 0) target.push(structuredClone(target[change.pick % target.length]));
      else define(target, key, structuredClone(target[keys[change.pick % Math.max(keys.length, 1)] ?? '']));
    } else {
      const strings = stringsOf(root);
      define(target, key, strings.length > 0 ? strings[change.pick % strings.length] : 'loop');
    }
  }
  return root;
}

/** A valid bundle with one to four changes, often invalid (and sometimes still valid). */
export const mutatedBundle: fc.Arbitrary<unknown> = fc.tuple(validBundle, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([bundle, changes]) => mutate(bundle, changes));
