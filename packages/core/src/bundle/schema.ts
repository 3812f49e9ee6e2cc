import * as z from 'zod/mini';

/**
 * Bundle format v1. This schema is the source of truth; docs/bundle-format.md documents it.
 * Rules (`when`, `audience.rule`) are JSON Logic and are compiled separately; what zod cannot
 * express (references between ids, unique ids, sums of weights) is checked by `validateBundle`.
 * So are whole numbers, a text content's string value, the version and caps (one or a list), by
 * code shared with the device's check (bundle-checks.ts), which spells this schema without zod
 * (device-check.ts): zod stays out of the browser build. json-schema.ts spells those out for editors.
 */
export const Id = z.string().check(z.minLength(1), z.maxLength(200));
const Rule = z.unknown();
/** ISO 8601 date-time with a zone (Z or ±hh:mm): checked in code by dateTimeMs (date-time.ts). */
export const DateTime = z.string();
/*
 * String-keyed maps are objects with a catchall (z.looseObject is one of unknown values): the same
 * check as z.record(z.string(), ...) for JSON, without z.record's code (~440 B brotli).
 */
const Meta = z.optional(z.looseObject({}));
const Share = z.number().check(z.gte(0), z.lte(1));
const Weight = z.optional(z.number().check(z.gte(0)));

/** Text is set as text (never markup); `json` carries structured content for SPAs to render. */
export type BundleContent =
  | { type: 'text'; value: string; meta?: Record<string, unknown> | undefined }
  | { type: 'json'; value: unknown; meta?: Record<string, unknown> | undefined };
/** A text content's value is checked to be a string by validateBundle. */
export const Content = z.object({ type: z.literal(['text', 'json']), value: z.unknown(), meta: Meta });
/** A whole number (validateBundle checks that). */
export const Count = z.number().check(z.gte(1));

const Variant = z.object({
  id: Id,
  /** Relative weight when the experience runs an experiment; default 1. */
  weight: Weight,
  content: Id,
});

/** At most `count` impressions per session, local calendar day, or ever. */
export const Cap = z.object({
  count: Count,
  per: z.literal(['session', 'day', 'lifetime']),
});
/** A cap or a non-empty list of caps: validateBundle checks the field against `Caps`. */
export const CapField = z.unknown();
export const Caps = z.array(Cap).check(z.minLength(1));

/** A whole number >= 0, or `VERSION_DIGITS` (format.ts; validateBundle checks it). */
export const Version = z.unknown();

/** One factor of a multivariate test: each level is a choice of content for that factor. */
const Factor = z.object({
  id: Id,
  levels: z.array(z.object({ id: Id, weight: Weight, content: Id })).check(z.minLength(1)),
});

/** A Beta(alpha, beta) posterior of an arm's conversion rate; both above 0 (checked with the bandit, bandit/check-bandit.ts). */
const Posterior = z.object({ alpha: z.number(), beta: z.number() });
/** Variant id → its posterior; a variant without one has the uniform prior Beta(1, 1). */
const Posteriors = z.catchall(z.object({}), Posterior);

/**
 * A bandit: the experiment's arms are allocated by Thompson sampling over these posteriors
 * (bandit/), instead of by the variants' weights. docs/experiments.md "Bandits" documents it.
 */
const Allocation = z.object({
  type: z.literal('thompson'),
  /** The conversion event that counts as a reward (what `attune bandit update` counts). */
  reward: Id,
  /** Minimum share of the experiment's visitors each arm gets; default 0. Arms × floor ≤ 1. */
  floor: z.optional(Share),
  posteriors: z.optional(Posteriors),
  /** Posteriors per segment: the first entry whose segment the visitor is in is used. */
  segments: z.optional(z.array(z.object({ segment: Id, posteriors: Posteriors }))),
});

const Experiment = z.object({
  /** Assignments are kept until this id changes; unique across the bundle. */
  id: Id,
  /** What is hashed: the anonymous id (default) or the user id (visitors without one are not in the test). */
  unit: z.optional(z.literal(['anonymousId', 'userId'])),
  /** Share of (non-holdout) visitors in the experiment; default 1. */
  traffic: z.optional(Share),
  /** Share of visitors kept out as a holdout group (they get the slot's default); default 0. */
  holdout: z.optional(Share),
  /** A multivariate test: the arms are every combination of the factors' levels (not the variants). */
  factors: z.optional(z.array(Factor).check(z.minLength(1))),
  /** A bandit over the variants: Thompson sampling per session instead of sticky weighted assignment. */
  allocation: z.optional(Allocation),
});

const Experience = z.object({
  id: Id,
  slot: Id,
  priority: z.optional(z.number()),
  audience: z.optional(z.object({ segment: z.optional(Id), rule: z.optional(Rule) })),
  /** Live from `start` (inclusive) to `end` (exclusive). */
  schedule: z.optional(z.object({ start: z.optional(DateTime), end: z.optional(DateTime) })),
  cap: z.optional(CapField),
  /** Mutual-exclusion group: at most one experience of a group is served per page view. */
  group: z.optional(Id),
  experiment: z.optional(Experiment),
  variants: z.array(Variant).check(z.minLength(1)),
  default: z.optional(Id),
});

/**
 * An item a recommender may recommend. `content` holds display text (a name, an image or page URL):
 * set as text, never markup. `neighbors` maps other items' ids to how similar they are (item to
 * item, e.g. co-viewed in sessions: `attune recs build`). Caps and references: recommend/check-recommender.ts.
 */
const CatalogItem = z.object({
  id: Id,
  category: z.optional(Id),
  tags: z.optional(z.array(Id)),
  price: z.optional(z.number().check(z.gte(0))),
  /** Default true; `false` items are not recommended unless `exclude.unavailable` is false. */
  available: z.optional(z.boolean()),
  /** Any measure of popularity (views, sales), >= 0: the fallback order and the popularity signal. */
  popularity: Weight,
  neighbors: z.optional(z.catchall(z.object({}), z.number().check(z.gte(0)))),
  content: z.optional(z.catchall(z.object({}), z.string())),
});
export const CatalogItems = z.array(CatalogItem);

/** A catalog in its own file (a large one): fetched when the recommender is used, its SHA-256 checked. */
const CatalogRef = z.object({
  url: z.string().check(z.minLength(1)),
  /** SHA-256 of the file's bytes, 64 lowercase hex digits (what `sha256sum` prints). */
  sha256: z.string(),
});

/** Weights of the blend's signals, each >= 0 (each signal is scaled to 0..1 first). */
const Blend = z.object({ neighbors: Weight, category: Weight, tag: Weight, popularity: Weight });

/**
 * "You may also like": items ranked for the visitor (recommend/), from the catalog given inline
 * (`items`) or in a file (`catalog`), exactly one of the two.
 */
const Recommender = z.object({
  id: Id,
  items: z.optional(CatalogItems),
  catalog: z.optional(CatalogRef),
  blend: z.optional(Blend),
  /** How many of the visitor's most recent views seed the neighbors signal; default 5. */
  recentViews: z.optional(Count),
  /** What is never recommended: defaults purchased true, viewed false, unavailable true. */
  exclude: z.optional(z.object({ purchased: z.optional(z.boolean()), viewed: z.optional(z.boolean()), unavailable: z.optional(z.boolean()) })),
  /** Only items for which this rule holds on `{ item, context, profile }` are recommended. */
  rule: z.optional(Rule),
  /** Diversity: at most this many items of one category in a list. */
  perCategory: z.optional(Count),
  /** Items in a list when the caller gives no limit; default 10. */
  limit: z.optional(Count),
});

/**
 * A journey trigger (triggers/): when its condition holds (`when`: A then no B within a window, a
 * count of A within a window, or entering a segment), its actions run, at most `cap` times. Which
 * fields go together is checked with the trigger (triggers/check-trigger.ts).
 */
const Trigger = z.object({
  id: Id,
  when: z.object({
    event: z.optional(Id),
    absent: z.optional(Id),
    within: z.optional(z.string()),
    count: z.optional(Count),
    segment: z.optional(Id),
  }),
  actions: z
    .array(z.object({ track: z.optional(Id), trait: z.optional(Id), value: z.optional(z.unknown()), eligible: z.optional(Id) }))
    .check(z.minLength(1)),
  cap: z.optional(Cap),
});

const Numbers = z.array(z.number());

/**
 * A model's input, read from what a rule reads: `from` is a path (`"profile.rfm.monetary"`, read as
 * `{"var": path}`) or a rule (`{"count": ["product_view", "7d"]}`, `{"segment": "vip"}`). A finite
 * number is used as it is, true and false as 1 and 0; anything else is missing and takes `default`
 * (or stays missing). Then `(value - mean) / scale` when either is given.
 */
const ModelFeature = z.object({
  name: Id,
  from: Rule,
  default: z.optional(z.number()),
  mean: z.optional(z.number()),
  scale: z.optional(z.number()),
});
const ModelFeatures = z.array(ModelFeature).check(z.minLength(1));

/** p = sigmoid(intercept + sum of weights[i] * feature i). */
const LogisticModel = z.object({
  id: Id,
  type: z.literal('logistic'),
  features: ModelFeatures,
  weights: Numbers,
  intercept: z.number(),
});

/**
 * One tree as parallel arrays, one entry per node, node 0 the root. A node whose `left` is -1 is a
 * leaf and `value` is its output; otherwise it sends feature `feature` below `value` to `left`,
 * the rest to `right`, and a missing value left when `defaultLeft` is 1 (right when 0).
 * The structure (indices, no cycles) is checked with the model (models/check-model.ts).
 */
const Tree = z.object({ feature: Numbers, value: Numbers, left: Numbers, right: Numbers, defaultLeft: Numbers });

/** Gradient-boosted trees (XGBoost's semantics): link(baseMargin + sum of the trees' leaves). */
const TreeEnsembleModel = z.object({
  id: Id,
  type: z.literal('tree-ensemble'),
  features: ModelFeatures,
  trees: z.array(Tree).check(z.minLength(1)),
  baseMargin: z.number(),
  link: z.literal(['logistic', 'identity']),
});

export const Model = z.discriminatedUnion('type', [LogisticModel, TreeEnsembleModel]);

export const BundleSchema = z.object({
  schema: z.literal('attune.bundle/1'),
  id: Id,
  /**
   * Monotonic integer (a string of digits is accepted): a bundle older than the cached one is
   * refused as a rollback. See `bundleVersion`.
   */
  version: Version,
  generatedAt: z.optional(DateTime),
  expiresAt: z.optional(DateTime),
  segments: z.optional(z.array(z.object({ id: Id, when: Rule }))),
  /** Journey stages in order: `profile.stage` is the last one whose rule matches. */
  stages: z.optional(z.array(z.object({ id: Id, when: Rule }))),
  experiences: z.array(Experience),
  content: z.catchall(z.object({}), Content),
  /** Scores computed on the device (models/). */
  models: z.optional(z.array(Model)),
  /** "You may also like" lists computed on the device (recommend/). */
  recommenders: z.optional(z.array(Recommender)),
  /** Journey triggers evaluated on the device (triggers/). */
  triggers: z.optional(z.array(Trigger)),
});

export type BundleCap = z.infer<typeof Cap>;
type ParsedBundle = z.infer<typeof BundleSchema>;
export type BundleExperience = Omit<ParsedBundle['experiences'][number], 'cap'> & { cap?: BundleCap | BundleCap[] | undefined };
export type Bundle = Omit<ParsedBundle, 'content' | 'version' | 'experiences'> & {
  version: number | string;
  experiences: BundleExperience[];
  content: Record<string, BundleContent>;
};
export type BundleVariant = BundleExperience['variants'][number];
export type BundleExperiment = NonNullable<BundleExperience['experiment']>;
export type BundleModel = z.infer<typeof Model>;
export type BundleLogisticModel = z.infer<typeof LogisticModel>;
export type BundleTreeEnsembleModel = z.infer<typeof TreeEnsembleModel>;
export type BundleModelFeature = z.infer<typeof ModelFeature>;
export type BundleTree = z.infer<typeof Tree>;
export type BundleAllocation = z.infer<typeof Allocation>;
export type BundlePosterior = z.infer<typeof Posterior>;
export type BundleRecommender = z.infer<typeof Recommender>;
export type BundleTrigger = z.infer<typeof Trigger>;
export type BundleCatalogItem = z.infer<typeof CatalogItem>;
export type BundleBlend = z.infer<typeof Blend>;
