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

/** Beta posteriors by arm id (any ids: which arms exist is checked with the bandit, not by the bundle's check). */
const posteriors = fc.dictionary(word, fc.record({ alpha: fc.double({ min: 0.01, max: 1e4, noNaN: true }), beta: fc.double({ min: 0.01, max: 1e4, noNaN: true }) }), { maxKeys: 3 });
/** A bandit's allocation: Thompson sampling, per segment or not. */
const allocation = fc.record(
  {
    type: fc.constant('thompson'),
    reward: fc.constantFrom('purchase', 'signup'),
    floor: fc.double({ min: 0, max: 0.3, noNaN: true }),
    posteriors,
    segments: fc.array(fc.record({ segment: word, posteriors }), { maxLength: 2 }),
  },
  { requiredKeys: ['type', 'reward'] },
);

function experienceOf(id: string, experimentId: string, contentIds: readonly string[], segmentIds: readonly string[]) {
  const audience = segmentIds.length > 0 ? fc.record({ segment: pick(segmentIds), rule }, { requiredKeys: [] }) : fc.record({ rule }, { requiredKeys: [] });
  const factors = fc.uniqueArray(fc.record({ id: word, levels: arms(contentIds, 1) }), { minLength: 1, maxLength: 2, selector: (f) => f.id });
  const experiment = fc.record(
    { id: fc.constant(experimentId), unit: fc.constantFrom('anonymousId', 'userId'), traffic: share, holdout: share, factors, allocation },
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

// Small: the more places a bundle has outside the format's checks, the fewer changes reach them.
const meta = fc.dictionary(word, fc.jsonValue({ maxDepth: 0 }), { maxKeys: 2 });
const contentEntry = fc.oneof(
  fc.record({ type: fc.constant('text'), value: fc.string({ maxLength: 8 }), meta }, { requiredKeys: ['type', 'value'] }),
  fc.record({ type: fc.constant('json'), value: fc.jsonValue({ maxDepth: 1 }), meta }, { requiredKeys: ['type', 'value'] }),
);
/** Journey triggers of each kind, with an action of each kind and an optional cap (plus a field the format does not know). */
const triggerKind = fc.oneof(
  fc.record({ event: fc.constantFrom('add_to_cart', 'form_started'), absent: fc.constantFrom('purchase', 'form_submitted'), within: fc.constantFrom('30m', '2h', '1d') }),
  fc.record({ event: fc.constant('product_view'), count: fc.integer({ min: 1, max: 5 }), within: fc.constantFrom('1h', '7d') }, { requiredKeys: ['event', 'count'] }),
  fc.record({ segment: fc.constantFrom('vip', 'hydrated-only') }),
);
const triggerAction = fc.oneof(
  fc.record({ track: fc.constantFrom('cart_abandoned', 'browsing') }),
  fc.record({ trait: fc.constant('reminded'), value: fc.oneof(fc.boolean(), fc.string({ maxLength: 5 }), fc.constant(null)) }, { requiredKeys: ['trait'] }),
  fc.record({ eligible: fc.constant('reminder') }),
);
const triggers = ids(0, 3).chain((list) =>
  fc.tuple(
    ...list.map((id) =>
      fc.record(
        { id: fc.constant(id), when: triggerKind, actions: fc.array(triggerAction, { minLength: 1, maxLength: 3 }), cap: fc.record({ count: fc.integer({ min: 1, max: 3 }), per: fc.constantFrom('session', 'day', 'lifetime') }), note: fc.constant('any other field') },
        { requiredKeys: ['id', 'when', 'actions'] },
      ),
    ),
  ),
);

/** Catalog items with unique ids whose neighbors are other items of the catalog. */
const catalogItems = ids(0, 4).chain((itemIds) =>
  fc.tuple(
    ...itemIds.map((id) =>
      fc.record(
        {
          id: fc.constant(id),
          category: word,
          tags: fc.uniqueArray(word, { maxLength: 3 }),
          price: fc.double({ min: 0, max: 1e4, noNaN: true }),
          available: fc.boolean(),
          popularity: fc.nat(1000),
          neighbors: fc.subarray(itemIds.filter((other) => other !== id)).chain((others) => fc.tuple(...others.map(() => fc.double({ min: 0, max: 1, noNaN: true }))).map((scores) => Object.fromEntries(others.map((other, i) => [other, scores[i]])))),
          content: fc.dictionary(fc.constantFrom('title', 'url', 'image'), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
        },
        { requiredKeys: ['id'] },
      ),
    ),
  ),
);
const weights = fc.record({ neighbors: fc.double({ min: 0, max: 2, noNaN: true }), category: weight, tag: weight, popularity: weight }, { requiredKeys: [] });
/** Recommenders over an inline catalog or a catalog file. */
const recommenders = ids(0, 2).chain((list) =>
  fc.tuple(
    ...list.map((id) =>
      fc.record(
        {
          id: fc.constant(id),
          items: catalogItems,
          catalog: fc.constant({ url: `/catalogs/${id}.json`, sha256: 'ab'.repeat(32) }),
          blend: weights,
          recentViews: fc.integer({ min: 1, max: 20 }),
          exclude: fc.record({ purchased: fc.boolean(), viewed: fc.boolean(), unavailable: fc.boolean() }, { requiredKeys: [] }),
          rule,
          perCategory: fc.integer({ min: 1, max: 5 }),
          limit: fc.integer({ min: 1, max: 20 }),
        },
        { requiredKeys: ['id'] },
      ),
    ),
  ),
);

/** A finite number, not only a whole one. */
const real = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }));
const modelFeature = fc.record(
  { name: word, from: fc.oneof(fc.constantFrom('profile.rfm.monetary', 'context.location.country'), rule), default: real, mean: real, scale: fc.double({ min: 0.1, max: 10, noNaN: true }) },
  { requiredKeys: ['name', 'from'] },
);
const modelFeatures = fc.uniqueArray(modelFeature, { minLength: 1, maxLength: 3, selector: (feature) => feature.name });
/** A tree over `features` features: node 0 splits into two leaves, or is a leaf itself. */
const tree = (features: number) =>
  fc.tuple(fc.boolean(), fc.nat({ max: features - 1 }), real, real, real, fc.constantFrom(0, 1)).map(([split, feature, threshold, low, high, defaultLeft]) =>
    split
      ? { feature: [feature, 0, 0], value: [threshold, low, high], left: [1, -1, -1], right: [2, -1, -1], defaultLeft: [defaultLeft, 0, 0] }
      : { feature: [0], value: [low], left: [-1], right: [-1], defaultLeft: [0] },
  );
const logisticModel = (id: string) =>
  modelFeatures.chain((features) =>
    fc.record({ id: fc.constant(id), type: fc.constant('logistic'), features: fc.constant(features), weights: fc.array(real, { minLength: features.length, maxLength: features.length }), intercept: real }),
  );
const treeModel = (id: string) =>
  modelFeatures.chain((features) =>
    fc.record({
      id: fc.constant(id),
      type: fc.constant('tree-ensemble'),
      features: fc.constant(features),
      trees: fc.array(tree(features.length), { minLength: 1, maxLength: 3 }),
      baseMargin: real,
      link: fc.constantFrom('logistic', 'identity'),
    }),
  );
/** Valid `models[]` (scores: logistic regressions and tree ensembles). */
const models = ids(0, 2).chain((list) => fc.tuple(...list.map((id) => fc.oneof(logisticModel(id), treeModel(id)))));

/** A bundle that validateBundle accepts: every reference resolves, ids are unique, weights and dates usable. */
export const validBundle: fc.Arbitrary<Json> = fc
  .record({
    contentIds: ids(1, 4),
    // A "__proto__" content entry no one names: zod's copy drops it, so naming it is an error.
    protoContent: fc.boolean(),
    segmentIds: ids(0, 3),
    stageIds: ids(0, 2),
    experienceIds: ids(0, 4),
    segmentRefs: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .chain(({ contentIds, protoContent, segmentIds, stageIds, experienceIds, segmentRefs }) =>
    fc.record({
      content: fc.tuple(contentEntry, ...contentIds.map(() => contentEntry)).map(([unnamed, ...entries]) => {
        const content = Object.fromEntries(contentIds.map((id, i) => [id, entries[i]]));
        if (protoContent) define(content, '__proto__', unnamed);
        return content;
      }),
      experiences: fc.tuple(...experienceIds.map((id, i) => experienceOf(id, `exp-${i}`, contentIds, segmentIds))),
      top: fc.record(
        { version: fc.oneof(fc.nat(), fc.nat().map(String)), dates: interval, models, recommenders, triggers },
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

/** A rule nested 5,000 levels deep (shared: frozen, so that no change can reach into it). */
export let deep: unknown = Object.freeze({ segment: 'deep' });
for (let i = 0; i < 5_000; i++) deep = Object.freeze([deep]);

/** A deep copy that keeps `deep` itself (copying it would overflow the stack), holes and "__proto__" keys. */
const copy = (value: unknown): unknown =>
  value === deep || value === null || typeof value !== 'object'
    ? value
    : Array.isArray(value)
      ? value.map(copy)
      : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]));

/** Values that break one rule or another: wrong types, bounds, reserved or odd ids, bad dates, deep nesting. */
const oddValue = fc
  .oneof(
    fc.constantFrom<unknown>(null, undefined, true, 1n, Number.NaN, Infinity, -Infinity, [], {}, [{}]),
    fc.constantFrom<unknown>(-1, 0, 0.5, 1, 1.5, 2, 1e300),
    fc.constantFrom<unknown>('', 'x'.repeat(201), '__proto__', 'constructor', 'holdout', 'a|b', 'x=y', 'loop', '1', '01', '1'.repeat(16)),
    fc.constantFrom<unknown>('attune.bundle/1', 'attune.bundle/2', 'text', 'json', 'html', 'day', 'week', 'userId', 'email'),
    fc.constantFrom<unknown>('logistic', 'tree-ensemble', 'identity', 'probit', -1, [0, 1], [Number.NaN]),
    fc.constantFrom<unknown>('thompson', 'epsilon', false, { alpha: 1, beta: 1 }, { alpha: 0, beta: -1 }, { title: 'x' }, { title: 1 }, ['a', 'b'], { 'x': 0.5 }),
    fc.constantFrom<unknown>('tomorrow', '2026-02-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00', '2030-01-01T00:00:00Z', '1999-01-01T00:00:00+01:00'),
    fc.constantFrom<unknown>(
      { type: 'text', value: 1 },
      { type: 'text', value: 'ok' },
      { count: 1, per: 'day' },
      { count: 1.5, per: 'day' },
      [{ count: 1, per: 'day' }, { count: 2, per: 'day' }],
      { id: 'v', content: 'nowhere' },
      { id: 'v', weight: 0, content: 'x' },
      { segment: 'loop' },
    ),
    fc.constant(deep),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(copy);

/** Keys to add: the format's own and a few odd ones. */
const namedKey = fc.constantFrom(
  ...['schema', 'id', 'version', 'generatedAt', 'expiresAt', 'segments', 'stages', 'experiences', 'content', 'models', 'recommenders', 'triggers'],
  ...['slot', 'priority', 'audience', 'segment', 'rule', 'schedule', 'start', 'end', 'cap', 'count', 'per', 'group', 'experiment', 'default'],
  ...['unit', 'traffic', 'holdout', 'factors', 'levels', 'variants', 'weight', 'type', 'value', 'meta', 'when'],
  ...['name', 'from', 'features', 'mean', 'scale', 'weights', 'intercept', 'trees', 'feature', 'left', 'right', 'defaultLeft', 'baseMargin', 'link'],
  ...['allocation', 'reward', 'floor', 'posteriors', 'alpha', 'beta', 'items', 'catalog', 'url', 'sha256', 'blend', 'neighbors', 'category', 'tag', 'tags'],
  ...['price', 'available', 'popularity', 'recentViews', 'exclude', 'purchased', 'viewed', 'unavailable', 'perCategory', 'limit'],
  ...['__proto__', 'constructor', 'toString', '$schema', 'extra', 'loop'],
);

/** Values close to one of the same type that break a rule (bounds, ids, dates), or a value of another type. */
function nearby(current: unknown, strings: readonly string[]): unknown[] {
  if (typeof current === 'string') return ['', 'x'.repeat(201), '__proto__', 'holdout', 'a|b', '2026-02-31T00:00:00Z', `${current}x`, ...strings.slice(0, 20), 1, null];
  if (typeof current === 'number') return [-1, -0.5, 0, 0.5, 1.5, 1e300, Number.NaN, Infinity, 1n, String(current), null];
  if (Array.isArray(current)) return [[], [{}], [null], {}, null, current.slice(1)];
  if (current !== null && typeof current === 'object') return [{}, [], null, 'x', { ...current, extra: 1 }];
  return [null, 'x', 0, {}, undefined];
}

/** One change to a value: resolved at apply time against the places (container, key) it has then. */
const mutation = fc.record({
  op: fc.constantFrom('replace', 'replace', 'replace', 'replace', 'delete', 'add', 'duplicate'),
  at: fc.nat(),
  key: namedKey,
  value: oddValue,
  near: fc.option(fc.nat(), { freq: 3 }),
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

/** Sets an own key (even "__proto__"), as JSON.parse does. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
type Container = Record<string, unknown> & unknown[];

function mutate(bundle: Json, changes: readonly Mutation[]): unknown {
  let root: unknown = copy(bundle);
  for (const change of changes) {
    const containers = containersOf(root) as Container[];
    // Every place a value sits, and the whole value itself.
    const places = containers.flatMap((node) => Object.keys(node).map((key) => [node, key] as const));
    const strings = places.map(([node, key]) => node[key]).filter((item): item is string => typeof item === 'string');
    const [target, key] = places[change.at % (places.length + 1)] ?? [undefined, ''];
    const current = target?.[key];
    const near = nearby(current, strings);
    const value = copy(change.near === null ? change.value : near[change.near % near.length]);
    if (change.op === 'add') {
      const container = containers[change.at % containers.length];
      if (container) define(container, Array.isArray(container) ? String(container.length + (change.at % 2)) : change.key, value);
    } else if (!target) {
      if (change.op === 'replace') root = value;
    } else if (change.op === 'replace') {
      define(target, key, value);
    } else if (change.op === 'delete') {
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[key];
    } else if (Array.isArray(current) && current.length > 0 && current !== deep) {
      current.push(copy(current[change.at % current.length]));
    } else if (Array.isArray(target)) {
      target.push(copy(current));
    }
  }
  return root;
}

/** A valid bundle with one to four changes, often invalid (and sometimes still valid). */
const mutationsOf = (bundles: fc.Arbitrary<Json>): fc.Arbitrary<unknown> => fc.tuple(bundles, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([bundle, changes]) => mutate(bundle, changes));

export const mutatedBundle: fc.Arbitrary<unknown> = mutationsOf(validBundle);

/**
 * Valid bundles of recommenders and one bandit and nothing else, so that changes land in their
 * fields (in a whole bundle, few do).
 */
const recommendersAndBandit: fc.Arbitrary<Json> = fc
  .tuple(recommenders.filter((list) => list.length > 0), arms(['c'], 1), allocation)
  .map(([list, variants, allocation]) => ({
    schema: 'attune.bundle/1',
    id: 'shop',
    version: 1,
    recommenders: list,
    experiences: [{ id: 'banner', slot: 'banner', experiment: { id: 'banner-bandit', allocation }, variants }],
    content: { c: { type: 'text', value: 'C' } },
  }));
export const mutatedRecommendersAndBandit: fc.Arbitrary<unknown> = mutationsOf(recommendersAndBandit);
