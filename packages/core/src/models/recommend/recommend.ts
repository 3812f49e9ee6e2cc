import type { BundleCatalogItem } from '../../bundle/schema.js';
import { truthy } from '../../rules/truthy.js';
import { plainObject } from '../../json-value.js';
import { own } from '../../profile/records.js';
import type { CompiledRecommender } from './compile-recommender.js';
import { MAX_LIMIT } from './limits.js';
import { RankHeap } from './rank-heap.js';

/** What a list reads of the visitor: a profile snapshot (ProfileSnapshot has these). */
export interface RecommendProfile {
  /** Item ids viewed, most recent first. */
  readonly viewed?: readonly string[];
  readonly purchased?: readonly string[];
  /** dimension → value → score; `category` and `tag` are read. */
  readonly affinities?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface RecommendOptions {
  /** Items in the list: default the recommender's `limit` (10), at most 100. */
  readonly limit?: number;
  /** More item ids never to recommend, e.g. the item on the page. */
  readonly exclude?: readonly string[];
  /** What the recommender's rule reads as `context`. */
  readonly context?: unknown;
}

/** The signals of the blend. */
export type RecommendSignal = 'neighbors' | 'category' | 'tag' | 'popularity';

export interface Recommendation {
  readonly id: string;
  readonly item: BundleCatalogItem;
  /** The sum of `why`. */
  readonly score: number;
  /** Each signal's share of the score: its weight times its 0..1 value. */
  readonly why: Readonly<Record<RecommendSignal, number>>;
  /** The signal that gave the most ('popularity' when none gave anything). */
  readonly because: RecommendSignal;
  /** The recently viewed item whose neighbors gave the most, when the neighbors signal gave something. */
  readonly seed?: string;
}

export interface Recommendations {
  readonly items: Recommendation[];
  /** True when the visitor's views and affinities gave nothing: the list is the popular fallback. */
  readonly fallback: boolean;
}

/** Per-recommender memory of a ranking, allocated once: ranking allocates little. */
interface Scratch {
  readonly neighbors: Float64Array;
  readonly seedShare: Float64Array;
  readonly seed: Int32Array;
  readonly score: Float64Array;
  readonly heap: Int32Array;
  /** 1 for the items excluded by id on the current ranking (cleared after it). */
  readonly blocked: Uint8Array;
}

const scratches = new WeakMap<CompiledRecommender, Scratch>();

function scratchOf(compiled: CompiledRecommender): Scratch {
  let scratch = scratches.get(compiled);
  if (!scratch) {
    const n = compiled.items.length;
    scratch = { neighbors: new Float64Array(n), seedShare: new Float64Array(n), seed: new Int32Array(n), score: new Float64Array(n), heap: new Int32Array(n), blocked: new Uint8Array(n) };
    scratches.set(compiled, scratch);
  }
  return scratch;
}

/** An array from outside, or none. */
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/**
 * The visitor's affinity for each of `keys` in `dimension`, divided by their highest affinity
 * in it (negative scores count as 0); all 0 when they have none. Returns whether any is above 0.
 */
function affinityShares(affinities: unknown, dimension: string, keys: readonly string[], out: Float64Array): boolean {
  const scores = plainObject(affinities) ? own(affinities, dimension) : undefined;
  if (!plainObject(scores)) return false;
  let top = 0;
  for (const key of Object.keys(scores)) {
    const score = scores[key];
    if (typeof score === 'number' && score > top && score < Infinity) top = score;
  }
  let any = false;
  if (top > 0) {
    for (let k = 0; k < keys.length; k++) {
      const score = own(scores, keys[k]!);
      if (typeof score === 'number' && score > 0) out[k] = Math.min(score, top) / top;
      any ||= out[k]! > 0;
    }
  }
  return any;
}

/**
 * Sums the neighbor scores of the visitor's most recent views in the catalog (the r-th counts
 * 1 / (r + 1)) into `neighbors`, noting for each item the view that gave the most. Returns the
 * highest sum.
 */
function neighborSums(compiled: CompiledRecommender, viewed: readonly unknown[], scratch: Scratch): number {
  const { neighbors, seedShare, seed } = scratch;
  neighbors.fill(0);
  seedShare.fill(0);
  const { index, neighborStart, neighborItem, neighborScore } = compiled;
  let top = 0;
  let r = 0;
  for (let v = 0; v < viewed.length && r < compiled.recentViews; v++) {
    const id = viewed[v];
    const from = typeof id === 'string' ? index.get(id) : undefined;
    if (from === undefined) continue;
    const weight = 1 / ++r;
    for (let k = neighborStart[from]!; k < neighborStart[from + 1]!; k++) {
      const j = neighborItem[k]!;
      const share = neighborScore[k]! * weight;
      neighbors[j]! += share;
      if (neighbors[j]! > top) top = neighbors[j]!;
      if (share > seedShare[j]!) [seedShare[j], seed[j]] = [share, from];
    }
  }
  return top < Infinity ? top : 0;
}

/** Marks the positions of item ids from outside (those in the catalog) in `blocked`, noting them in `marks`. */
function mark(compiled: CompiledRecommender, ids: readonly unknown[], blocked: Uint8Array, marks: number[]): void {
  for (const id of ids) {
    const i = typeof id === 'string' ? compiled.index.get(id) : undefined;
    if (i !== undefined) {
      blocked[i] = 1;
      marks.push(i);
    }
  }
}

/**
 * A list for the visitor (docs/models.md "Recommendations"): every item scored by the blend of its
 * neighbors among the visitor's recent views, their category and tag affinities and its
 * popularity, each scaled to 0..1; then taken by score (ties: popularity, catalog order), skipping
 * excluded items, items past `perCategory`, and items the rule refuses (or throws on), up to the
 * limit. Pure and deterministic; never throws on any profile or options.
 */
export function recommend(compiled: CompiledRecommender, profile: RecommendProfile, options: RecommendOptions = {}): Recommendations {
  const { items, weights, category, categories, tagStart, tagOf, tags, popularity, exclude, rule } = compiled;
  const requested = options?.limit;
  const limit = Math.min(MAX_LIMIT, Math.max(0, Math.floor(typeof requested === 'number' && requested === requested ? requested : compiled.limit)));
  const scratch = scratchOf(compiled);
  const viewed = list(profile?.viewed);
  const topNeighbors = neighborSums(compiled, viewed, scratch);
  const categoryShare = new Float64Array(categories.length);
  const tagShare = new Float64Array(tags.length);
  const anyCategory = affinityShares(profile?.affinities, 'category', categories, categoryShare);
  const anyTag = affinityShares(profile?.affinities, 'tag', tags, tagShare);

  /** Item i's best tag share. */
  const tagOfItem = (i: number): number => {
    let tag = 0;
    for (let k = tagStart[i]!; k < tagStart[i + 1]!; k++) if (tagShare[tagOf[k]!]! > tag) tag = tagShare[tagOf[k]!]!;
    return tag;
  };
  const neighborsOf = (i: number): number => weights.neighbors * (topNeighbors > 0 ? scratch.neighbors[i]! / topNeighbors : 0);
  const categoryOf = (i: number): number => weights.category * (category[i]! >= 0 ? categoryShare[category[i]!]! : 0);

  const blocked = scratch.blocked;
  const marks: number[] = [];
  if (exclude.purchased) mark(compiled, list(profile?.purchased), blocked, marks);
  if (exclude.viewed) mark(compiled, viewed, blocked, marks);
  mark(compiled, list(options?.exclude), blocked, marks);
  const { score, heap } = scratch;
  const available = compiled.available;
  let size = 0;
  for (let i = 0; i < items.length; i++) {
    if ((exclude.unavailable && !available[i]) || blocked[i]) continue;
    // The same sum, in the same order, as `why` below: a list's scores are exactly its why's sums.
    score[i] = neighborsOf(i) + categoryOf(i) + weights.tag * tagOfItem(i) + weights.popularity * popularity[i]!;
    heap[size++] = i;
  }
  for (const i of marks) blocked[i] = 0;

  const ranked = new RankHeap(heap, score, popularity);
  ranked.build(size);
  const perCategory = new Int32Array(categories.length);
  const data = { item: undefined as unknown, context: options?.context, profile };
  const out: Recommendation[] = [];
  for (let i = out.length < limit ? ranked.pop() : -1; i >= 0; i = out.length < limit ? ranked.pop() : -1) {
    const c = category[i]!;
    if (c >= 0 && perCategory[c]! >= compiled.perCategory) continue;
    if (rule) {
      data.item = items[i];
      try {
        if (!truthy(rule(data))) continue;
      } catch {
        continue;
      }
    }
    if (c >= 0) perCategory[c]!++;
    const why = { neighbors: neighborsOf(i), category: categoryOf(i), tag: weights.tag * tagOfItem(i), popularity: weights.popularity * popularity[i]! };
    let because: RecommendSignal = 'popularity';
    let most = 0;
    for (const signal of ['neighbors', 'category', 'tag', 'popularity'] as const) if (why[signal] > most) [because, most] = [signal, why[signal]];
    const item = items[i]!;
    const seed = why.neighbors > 0 ? items[scratch.seed[i]!]!.id : undefined;
    out.push({ id: item.id, item, score: score[i]!, why, because, ...(seed === undefined ? {} : { seed }) });
  }
  return { items: out, fallback: !(topNeighbors > 0 || anyCategory || anyTag) };
}
