/** Affinity scores: how much the visitor cares about each category, brand, tag..., fading with time. */
import type { ProfileEventInput } from './event-input.js';
import { dict, dropLowest, own } from './records.js';

/** Scores one dimension from one event property. */
export interface AffinityRule {
  /** Name of the scored dimension in the profile, e.g. "category". */
  dimension: string;
  /** Event property holding the value(s): a string, a finite number, or an array of those. */
  property: string;
  /** Only these event names score; every event carrying the property when absent. */
  events?: readonly string[];
  /** Points per event name; "*" for other names; 1 when neither is set. */
  weights?: Readonly<Record<string, number>>;
  /** Time for a score to halve; default 30 days (Infinity: no decay). */
  halfLifeMs?: number;
  /** Values kept per dimension, default 50: the lowest scores are dropped. */
  max?: number;
}

/** dimension → value → [score, atMs]: the score decayed as of `atMs`, so an update is O(1) with no timer. Dicts (records.ts) at both levels. */
export type AffinityScores = Record<string, Record<string, [score: number, atMs: number]>>;

/** Half-life when a rule sets none: 30 days. */
export const DEFAULT_HALF_LIFE_MS = 30 * 86_400_000;
/** Values per dimension when a rule sets no `max`. */
export const DEFAULT_MAX_VALUES = 50;
/** Longer values (after trimming) are ignored: they are free text, not categories. */
const MAX_VALUE_LENGTH = 100;

const WEIGHTS: Readonly<Record<string, number>> = {
  purchase: 5,
  order_completed: 5,
  'Order Completed': 5,
  add_to_cart: 3,
  product_added: 3,
  'Product Added': 3,
};

/** category ← properties.category, brand ← properties.brand, tag ← properties.tags; purchases 5 points, add-to-cart 3, other events 1. */
export const DEFAULT_AFFINITY_RULES: readonly AffinityRule[] = [
  { dimension: 'category', property: 'category', weights: WEIGHTS },
  { dimension: 'brand', property: 'brand', weights: WEIGHTS },
  { dimension: 'tag', property: 'tags', weights: WEIGHTS },
];

/** 2 ** (-ms / halfLife), through Math.exp: several times faster than ** in V8 (track() hot path). */
const decay = (ms: number, halfLife: number): number => Math.exp((-ms * Math.LN2) / halfLife);

/** The score as of `t`; never grows when `t` is before `atMs` (clock skew). */
const decayed = ([score, at]: readonly [number, number], t: number, halfLife: number): number => score * decay(Math.max(0, t - at), halfLife);

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** The first rule for a dimension sets its half-life and cap when scores are read or merged. */
function ruleFor(rules: readonly AffinityRule[], dimension: string): [halfLife: number, max: number] {
  const rule = rules.find((r) => r.dimension === dimension);
  return [rule?.halfLifeMs ?? DEFAULT_HALF_LIFE_MS, rule?.max ?? DEFAULT_MAX_VALUES];
}

/** The normalized value (trimmed, lower-cased), or undefined when it cannot be scored. */
export function normalizeValue(value: unknown): string | undefined {
  if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') return undefined;
  const key = String(value).trim().toLowerCase();
  return key && key.length <= MAX_VALUE_LENGTH ? key : undefined;
}

/**
 * The last values normalized and their keys: pages send the same few categories and brands over
 * and over, and trimming and lower-casing allocate. A pure function of the value (=== compares
 * strings by content), so a hit gives what `normalizeValue` would.
 */
const CACHED_VALUES = 8;
const cachedValues: string[] = [];
const cachedKeys: (string | undefined)[] = [];
let nextCached = 0;

function valueKey(value: unknown): string | undefined {
  if (typeof value !== 'string') return normalizeValue(value);
  for (let i = 0; i < cachedValues.length; i++) if (cachedValues[i] === value) return cachedKeys[i];
  const key = normalizeValue(value);
  cachedValues[nextCached] = value;
  cachedKeys[nextCached] = key;
  nextCached = (nextCached + 1) % CACHED_VALUES;
  return key;
}

/** Adds `weight` at time `t` to the value's score in `dim` (mutates); see `applyAffinities`. */
function score(dim: Record<string, [number, number]>, value: unknown, weight: number, t: number, halfLife: number, max: number): void {
  const key = valueKey(value);
  if (key === undefined) return;
  // One lookup instead of own(): a dimension is a dict (no prototype).
  const entry = dim[key];
  if (!Array.isArray(entry)) {
    dim[key] = [weight, t];
    dropLowest(dim, max, (e) => decayed(e, t, halfLife), key);
  } else if (t >= entry[1]) {
    entry[0] = entry[0] * decay(t - entry[1], halfLife) + weight;
    entry[1] = t;
  } else entry[0] += weight * decay(entry[1] - t, halfLife);
}

/**
 * Adds the event's weight to each value it carries (mutates `scores`): the stored score is decayed
 * to the event time first; an event older than the stored time (out of order) adds its weight
 * decayed to that time instead, so the order events arrive in does not matter. A new value in a
 * full dimension drops the lowest current score, never the new value itself.
 */
export function applyAffinities(scores: AffinityScores, event: ProfileEventInput, rules: readonly AffinityRule[]): void {
  const t = event.timestampMs;
  const { name, properties } = event;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.events && !rule.events.includes(name)) continue;
    const raw = own(properties, rule.property);
    if (raw === undefined) continue;
    const weight = (rule.weights && (own(rule.weights, name) ?? own(rule.weights, '*'))) ?? 1;
    const halfLife = rule.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
    const max = rule.max ?? DEFAULT_MAX_VALUES;
    const dim = own(scores, rule.dimension) ?? (scores[rule.dimension] = dict());
    if (Array.isArray(raw)) for (const value of raw) score(dim, value, weight, t, halfLife, max);
    else score(dim, raw, weight, t, halfLife, max);
  }
}

/** Every score decayed to `nowMs` and rounded to 4 decimals: what the public snapshot shows. */
export function affinityScores(scores: AffinityScores, rules: readonly AffinityRule[], nowMs: number): Record<string, Record<string, number>> {
  const out = dict<Record<string, number>>();
  for (const [dimension, values] of Object.entries(scores)) {
    const [halfLife] = ruleFor(rules, dimension);
    const dim = (out[dimension] = dict<number>());
    for (const [value, entry] of Object.entries(values)) dim[value] = round4(decayed(entry, nowMs, halfLife));
  }
  return out;
}

/** The `n` values of `dimension` with the highest scores as of `nowMs` (rounded as in the snapshot), highest first, ties by value name. */
export function topAffinities(scores: AffinityScores, dimension: string, n: number, nowMs: number, rules: readonly AffinityRule[]): string[] {
  const [halfLife] = ruleFor(rules, dimension);
  return Object.entries(own(scores, dimension) ?? {})
    .map(([value, entry]): [string, number] => [value, round4(decayed(entry, nowMs, halfLife))])
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, Math.max(0, n))
    .map(([value]) => value);
}

/** a + b as new scores (inputs unchanged): each value decayed to the later of its two times and summed, then capped per dimension. */
export function mergeAffinities(a: AffinityScores, b: AffinityScores, rules: readonly AffinityRule[]): AffinityScores {
  const out: AffinityScores = dict();
  for (const scores of [a, b]) {
    for (const [dimension, values] of Object.entries(scores)) {
      const [halfLife] = ruleFor(rules, dimension);
      const dim = out[dimension] ?? (out[dimension] = dict());
      for (const [value, entry] of Object.entries(values)) {
        const prev = dim[value];
        const at = Math.max(entry[1], prev?.[1] ?? -Infinity);
        dim[value] = [decayed(entry, at, halfLife) + (prev ? decayed(prev, at, halfLife) : 0), at];
      }
    }
  }
  for (const [dimension, dim] of Object.entries(out)) {
    const [halfLife, max] = ruleFor(rules, dimension);
    // Scores compare at one common time: the newest in the dimension.
    const now = Math.max(...Object.values(dim).map((e) => e[1]));
    dropLowest(dim, max, (e) => decayed(e, now, halfLife));
  }
  return out;
}
