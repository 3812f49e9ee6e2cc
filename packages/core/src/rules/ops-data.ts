import { argAt, type Builder, dataNode, type Evaluator, type Node } from './node.js';

export type Key = string | number;
type Lookup = Record<Key, unknown>;
/** A parsed `var` path; `null` means "the whole data". */
type Path = readonly Key[] | null;

/** Canonical array indices become numbers: same property, faster element access. */
const INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** Parses a `var` path as json-logic-js does: `""`, `null` and a missing path mean the whole data. */
export function parsePath(path: unknown): Path {
  if (path === undefined || path === null || path === '') return null;
  return String(path)
    .split('.')
    .map((part) => (INDEX.test(part) ? Number(part) : part));
}

/**
 * Whether `key` names a member of a built-in prototype that data inherits from (`constructor`,
 * `toString`, `__proto__`, an array's `map`, a string's `length`...): such a key is read only when
 * it is the value's own property, so `{"var": "profile.traits.constructor"}` reads a trait or
 * nothing, never Object. No other key can be inherited from a built-in: those are read without
 * the check (one more lookup per step would double the time of common rules).
 */
const inherits = (key: Key): boolean => [{}, [], "", 0].some((value) => key in Object(value));

/** Walks `path` from `data` (`owned`: which keys `inherits`); `undefined` means "not found" (a found `undefined` counts as missing too). */
function lookup(data: unknown, path: readonly Key[], owned = path.map(inherits)): unknown {
  let current = data;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as Key;
    if (current === null || current === undefined || (owned[i] && !Object.hasOwn(current, key))) return undefined;
    current = (current as Lookup)[key];
  }
  return current;
}

/*
 * The data Attune gives rules has a known top (`context`, `profile`) and known fields below it;
 * the ones rules read most (context.page, .device, .locale, .campaign; profile.traits, .counters)
 * are read with named property accesses: each gets an inline cache of its own,
 * monomorphic since Attune builds these objects with one shape, where `data[key]` in a closure
 * shared by every rule makes one megamorphic cache for all keys (property reads were most of the
 * evaluation time). Other keys (trait and counter names, indices) are read by key.
 */
const NAMED = ['context', 'profile', 'page', 'device', 'locale', 'campaign', 'traits', 'counters'];

/** `v[key]`, where `id` is the key's index in NAMED (-1: another key). */
function named(v: Lookup, id: number, key: Key): unknown {
  switch (id) {
    case 0: return v.context;
    case 1: return v.profile;
    case 2: return v.page;
    case 3: return v.device;
    case 4: return v.locale;
    case 5: return v.campaign;
    case 6: return v.traits;
    case 7: return v.counters;
    default: return v[key];
  }
}

/**
 * `lookup` of a constant path returning `fallback` when not found, specialized for the short
 * paths rules mostly use: one closure, no loop. Keys are captured per closure, so nothing is
 * split or allocated per evaluation.
 */
export function reader(path: readonly Key[], fallback: unknown): Evaluator {
  const [k0, k1, k2] = path as [Key, Key, Key];
  const n0 = NAMED.indexOf(k0 as string);
  const n1 = NAMED.indexOf(k1 as string);
  const owned = path.map(inherits);
  // Paths with a key that `inherits` (rare) take the general walk.
  switch (owned.includes(true) ? 0 : path.length) {
    case 1:
      return (d) => {
        if (d === null || d === undefined) return fallback;
        const v = named(d as Lookup, n0, k0);
        return v === undefined ? fallback : v;
      };
    case 2:
      return (d) => {
        if (d === null || d === undefined) return fallback;
        const v = named(d as Lookup, n0, k0);
        if (v === null || v === undefined) return fallback;
        const w = named(v as Lookup, n1, k1);
        return w === undefined ? fallback : w;
      };
    case 3:
      // The paths rules read most (context.*.*, profile.traits.*, profile.counters.*) have closures
      // with those reads written out: `named` is a jump table the CPU mispredicts when rules of
      // every shape run in turn (about 4% of a mixed evaluation per level skipped).
      if (n0 === 0)
        return (d) => {
          if (d === null || d === undefined) return fallback;
          const v = (d as Lookup).context;
          if (v === null || v === undefined) return fallback;
          const w = named(v as Lookup, n1, k1);
          if (w === null || w === undefined) return fallback;
          const x = (w as Lookup)[k2];
          return x === undefined ? fallback : x;
        };
      if (n0 === 1 && n1 === 6)
        return (d) => {
          if (d === null || d === undefined) return fallback;
          const v = (d as Lookup).profile;
          if (v === null || v === undefined) return fallback;
          const w = (v as Lookup).traits;
          if (w === null || w === undefined) return fallback;
          const x = (w as Lookup)[k2];
          return x === undefined ? fallback : x;
        };
      if (n0 === 1 && n1 === 7)
        return (d) => {
          if (d === null || d === undefined) return fallback;
          const v = (d as Lookup).profile;
          if (v === null || v === undefined) return fallback;
          const w = (v as Lookup).counters;
          if (w === null || w === undefined) return fallback;
          const x = (w as Lookup)[k2];
          return x === undefined ? fallback : x;
        };
      return (d) => {
        if (d === null || d === undefined) return fallback;
        const v = named(d as Lookup, n0, k0);
        if (v === null || v === undefined) return fallback;
        const w = named(v as Lookup, n1, k1);
        if (w === null || w === undefined) return fallback;
        const x = (w as Lookup)[k2];
        return x === undefined ? fallback : x;
      };
    default:
      return (d) => {
        const v = lookup(d, path, owned);
        return v === undefined ? fallback : v;
      };
  }
}

/** `{"var": ""}`: the whole data (an element, inside `some`, `all`...); parents spot it to compare data directly. */
export const whole: Evaluator = (d) => d;

/** Reads a constant path, `fallback` when not found (`reader`, or a bundle's per-pass cache of it). */
export type PathReader = (path: readonly Key[], fallback: unknown) => Evaluator;

/** `{"var": [path, default]}`, constant paths read with `read`: the default is only evaluated when the path is not found. */
export const buildVar = (args: readonly Node[], read: PathReader = reader): Node => {
  const pathNode = argAt(args, 0);
  const defaultNode = argAt(args, 1);
  const node = (run: Evaluator): Node => dataNode([pathNode, defaultNode], run);
  const path = pathNode.constant ? parsePath(pathNode.value) : undefined;
  if (path === null) return node(whole);

  // A constant default is captured as a value (arrays excepted: each evaluation needs a copy).
  if (path !== undefined && defaultNode.constant && !Array.isArray(defaultNode.value)) {
    // json-logic-js turns an undefined default into null.
    return node(read(path, defaultNode.value === undefined ? null : defaultNode.value));
  }
  const fallbackRun = defaultNode.run;
  const fallback = (d: unknown): unknown => {
    const v = fallbackRun(d);
    return v === undefined ? null : v;
  };
  if (path !== undefined) {
    const get = reader(path, undefined);
    return node((d) => {
      const v = get(d);
      return v === undefined ? fallback(d) : v;
    });
  }
  const pathRun = pathNode.run;
  return node((d) => {
    const dynamicPath = parsePath(pathRun(d));
    if (dynamicPath === null) return d;
    const v = lookup(d, dynamicPath);
    return v === undefined ? fallback(d) : v;
  });
};

/** `missing` takes its keys as arguments, or as one array argument (e.g. the result of `merge`). */
function keysOf(values: readonly unknown[]): readonly unknown[] {
  const first = values[0];
  return Array.isArray(first) ? first : values;
}

/**
 * Compiles each key into a reader of its `var` value, `""` when not found: the key is missing
 * when that is null or `""`. For the whole-data path json-logic-js returns the data as is, so
 * undefined data is *not* missing. (A reader, not a test wrapping one: one call per key.)
 */
function missingReads(keys: readonly unknown[]): Evaluator[] {
  return keys.map((key) => {
    const path = parsePath(key);
    return path === null ? whole : reader(path, '');
  });
}

/** Whether a value read by `missingReads` is missing. */
const blank = (v: unknown): boolean => v === null || v === '';

function collect(keys: readonly unknown[], reads: readonly Evaluator[], data: unknown): unknown[] {
  const missing: unknown[] = [];
  for (let i = 0; i < reads.length; i++) if (blank((reads[i] as Evaluator)(data))) missing.push(keys[i]);
  return missing;
}

function countMissing(reads: readonly Evaluator[], data: unknown): number {
  let count = 0;
  for (let i = 0; i < reads.length; i++) if (blank((reads[i] as Evaluator)(data))) count++;
  return count;
}

/** Keys computed at evaluation time: compiled as they come. */
const collectDynamic = (keys: readonly unknown[], data: unknown): unknown[] => collect(keys, missingReads(keys), data);

/** `{"missing": [keys...]}`: the keys not present in the data (null and `""` count as absent). */
export const buildMissing: Builder = (args) => {
  if (args.every((a) => a.constant)) {
    const keys = keysOf(args.map((a) => a.value));
    const reads = missingReads(keys);
    // In a condition only "is anything missing?" matters: answer it without building the list.
    const test = (d: unknown): boolean => countMissing(reads, d) !== 0;
    return { ...dataNode(args, (d) => collect(keys, reads, d)), test };
  }
  const runs = args.map((a) => a.run);
  return dataNode(args, (d) => collectDynamic(keysOf(runs.map((r) => r(d))), d));
};

/** What `missing_some` compares against: json-logic-js uses `options.length` (no length: NaN, never enough). */
const optionCount = (options: unknown): number => (options as { length: number } | null | undefined)?.length as number;

/** `{"missing_some": [need, keys]}`: `[]` when at least `need` keys are present, else the missing ones. */
export const buildMissingSome: Builder = (args) => {
  const needNode = argAt(args, 0);
  const optionsNode = argAt(args, 1);
  const needRun = needNode.run;

  if (optionsNode.constant) {
    const options = optionsNode.value;
    const keys = Array.isArray(options) ? keysOf(options) : [options];
    const reads = missingReads(keys);
    const total = optionCount(options);
    const test = (d: unknown): boolean => {
      const need = needRun(d) as number;
      const count = countMissing(reads, d);
      return count !== 0 && !(total - count >= need);
    };
    // Counting allocates nothing: the list of missing keys is built only when it is the result.
    const run: Evaluator = (d) => (test(d) ? collect(keys, reads, d) : []);
    return { ...dataNode(args, run), test };
  }
  const optionsRun = optionsNode.run;
  return dataNode(args, (d) => {
    const need = needRun(d) as number;
    const options = optionsRun(d);
    const missing = collectDynamic(Array.isArray(options) ? keysOf(options) : [options], d);
    return optionCount(options) - missing.length >= need ? [] : missing;
  });
};
