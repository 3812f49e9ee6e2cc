import { ownValue } from '../decide/decision-state.js';
import { any, array, boolean, object, oneOf, record, string, number, type Check } from '../shape-check.js';
import { finish } from './run-in-slices.js';
import { acceptSteps, openProblems, STEP } from './bundle-checks.js';
import type { Bundle } from './schema.js';

/*
 * The browser's bundle check: the zod schema (schema.ts) spelled with the compact checks of
 * shape-check.ts, key for key, so that the device carries no zod. A differential test
 * (test/bundle/device-check.test.ts) holds it to accepting no bundle that validateBundle rejects.
 */

/** 1 to 200 characters: the ids of the bundle format (and of hydrated segments and users). */
export const ID = string(1, 200);
/** Checked to be a real date-time by the semantic checks. */
const DATE_TIME = string();
const RULED = object({ id: ID, when: any });
const ARMS = array(object({ id: ID, 'weight?': number(0), content: ID }), 1);
const SHARE = number(0, 1);
const WEIGHT = number(0);

const POSTERIORS = record(object({ alpha: number(), beta: number() }));
const ALLOCATION = object({ type: oneOf('thompson'), reward: ID, 'floor?': SHARE, 'posteriors?': POSTERIORS, 'segments?': array(object({ segment: ID, posteriors: POSTERIORS })) });

/** A catalog's item, inline in a recommender or in a catalog file (recommend/catalog-file.ts). */
export const ITEM = object({
  id: ID,
  'category?': ID,
  'tags?': array(ID),
  'price?': WEIGHT,
  'available?': boolean,
  'popularity?': WEIGHT,
  'neighbors?': record(WEIGHT),
  'content?': record(string()),
});
/** A `recommenders[]` entry (schema.ts `Recommender`). */
const RECOMMENDER = object({
  id: ID,
  'items?': array(ITEM),
  'catalog?': object({ url: string(1), sha256: string() }),
  'blend?': object({ 'neighbors?': WEIGHT, 'category?': WEIGHT, 'tag?': WEIGHT, 'popularity?': WEIGHT }),
  'recentViews?': number(1),
  'exclude?': object({ 'purchased?': boolean, 'viewed?': boolean, 'unavailable?': boolean }),
  'rule?': any,
  'perCategory?': number(1),
  'limit?': number(1),
});

/** A `triggers[]` entry (schema.ts `Trigger`). */
const TRIGGER = object({
  id: ID,
  when: object({ 'event?': ID, 'absent?': ID, 'within?': string(), 'count?': number(1), 'segment?': ID }),
  actions: array(object({ 'track?': ID, 'trait?': ID, 'value?': any, 'eligible?': ID }), 1),
  'cap?': object({ count: number(1), per: oneOf('session', 'day', 'lifetime') }),
});

const NUMBERS = array(number());
const FEATURES = array(object({ name: ID, from: any, 'default?': number(), 'mean?': number(), 'scale?': number() }), 1);
const LOGISTIC = object({ id: ID, type: any, features: FEATURES, weights: NUMBERS, intercept: number() });
const TREES = object({
  id: ID,
  type: any,
  features: FEATURES,
  trees: array(object({ feature: NUMBERS, value: NUMBERS, left: NUMBERS, right: NUMBERS, defaultLeft: NUMBERS }), 1),
  baseMargin: number(),
  link: oneOf('logistic', 'identity'),
});
const MODEL_TYPE = object({ type: oneOf('logistic', 'tree-ensemble') });
/** A `models[]` entry: its shape follows its `type` (zod's discriminated union); an unknown type is the one problem reported. */
export const MODEL: Check = (value, path, report) => {
  const type = value !== null && typeof value === 'object' ? ownValue(value as Record<string, unknown>, 'type') : undefined;
  return (type === 'logistic' ? LOGISTIC : type === 'tree-ensemble' ? TREES : MODEL_TYPE)(value, path, report);
};


const EXPERIENCE = object({
  id: ID,
  slot: ID,
  'priority?': number(),
  'audience?': object({ 'segment?': ID, 'rule?': any }),
  'schedule?': object({ 'start?': DATE_TIME, 'end?': DATE_TIME }),
  'cap?': any,
  'group?': ID,
  'experiment?': object({
    id: ID,
    'unit?': oneOf('anonymousId', 'userId'),
    'traffic?': SHARE,
    'holdout?': SHARE,
    'factors?': array(object({ id: ID, levels: ARMS }), 1),
    'allocation?': ALLOCATION,
  }),
  variants: ARMS,
  'default?': ID,
});

/** The long lists, whose items are checked in steps (see deviceCheckSteps), and their item. */
const LISTS = { segments: RULED, stages: RULED, experiences: EXPERIENCE };

// The bundle's keys in the schema's order, the long lists' items checked between the two parts
// so that problems are listed in the order validateBundle lists them.
const HEAD = object({
  schema: oneOf('attune.bundle/1'),
  id: ID,
  // The version and caps are checked by openProblems, as for validateBundle.
  version: any,
  'generatedAt?': DATE_TIME,
  'expiresAt?': DATE_TIME,
  'segments?': array(any),
  'stages?': array(any),
  experiences: array(any),
});
const TAIL = object({
  content: record(object({ type: oneOf('text', 'json'), value: any, 'meta?': record(any) })),
  'models?': array(MODEL),
  'recommenders?': array(RECOMMENDER),
  'triggers?': array(TRIGGER),
});

/**
 * What `validateBundle` does, without zod, in steps (each `yield`) of at most STEP list items,
 * so the client checks a large bundle in slices: returns the bundle as zod's parse would (known
 * keys only), or throws `AttuneError('bundle-invalid')` listing every problem with its path.
 */
export function* deviceCheckSteps(value: unknown): Generator<void, Bundle> {
  const problems: string[] = [];
  const report = (problem: string): void => void problems.push(problem);
  openProblems(value, report);
  const bundle = HEAD(value, '', report) as Record<string, unknown>;
  // HEAD returns a value that is no object as it is, having said so; an object as a copy.
  if (bundle !== value) {
    for (const [key, item] of Object.entries(LISTS)) {
      const list = bundle[key];
      // HEAD's array(any) made a copy (and reported a non-array): its items become checked ones.
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        list[i] = item(list[i], `${key}[${i}]`, report);
        if (i % STEP === STEP - 1) yield;
      }
    }
    Object.assign(bundle, TAIL(value, '', report));
  }
  return yield* acceptSteps(bundle, problems);
}

/** {@link deviceCheckSteps} in one go. */
export const validateBundleOnDevice = (value: unknown): Bundle => finish(deviceCheckSteps(value));
