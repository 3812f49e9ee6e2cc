import { argAt, type Builder, type Evaluator, type Node } from './node.js';

type Key = string | number;
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

/** Walks `path` from `data`; `undefined` means "not found" (a found `undefined` counts as missing too). */
function lookup(data: unknown, path: readonly Key[]): unknown {
  let current = data;
  for (let i = 0; i < path.length; i++) {
    if (current === null || current === undefined) return undefined;
    current = (current as Lookup)[path[i] as Key];
  }
  return current;
}

/** `lookup` specialized for the short paths rules mostly use, to avoid the loop. */
function getter(path: readonly Key[]): Evaluator {
  const [k0, k1, k2] = path as [Key, Key, Key];
  switch (path.length) {
    case 1:
      return (d) => (d === null || d === undefined ? undefined : (d as Lookup)[k0]);
    case 2:
      return (d) => {
        if (d === null || d === undefined) return undefined;
        const v = (d as Lookup)[k0];
        return v === null || v === undefined ? undefined : (v as Lookup)[k1];
      };
    case 3:
      return (d) => {
        if (d === null || d === undefined) return undefined;
        const v = (d as Lookup)[k0];
        if (v === null || v === undefined) return undefined;
        const w = (v as Lookup)[k1];
        return w === null || w === undefined ? undefined : (w as Lookup)[k2];
      };
    default:
      return (d) => lookup(d, path);
  }
}

/** `var` with a constant path and a constant primitive default: one closure, no extra calls. */
function constantVar(path: readonly Key[], fallback: unknown): Evaluator {
  const [k0, k1] = path as [Key, Key];
  if (path.length === 1) {
    return (d) => {
      if (d === null || d === undefined) return fallback;
      const v = (d as Lookup)[k0];
      return v === undefined ? fallback : v;
    };
  }
  if (path.length === 2) {
    return (d) => {
      if (d === null || d === undefined) return fallback;
      const v = (d as Lookup)[k0];
      if (v === null || v === undefined) return fallback;
      const w = (v as Lookup)[k1];
      return w === undefined ? fallback : w;
    };
  }
  const get = getter(path);
  return (d) => {
    const v = get(d);
    return v === undefined ? fallback : v;
  };
}

/** A node that reads the data in scope, so it is never folded. */
function dataNode(args: readonly Node[], run: Evaluator): Node {
  return { run, constant: false, value: undefined, pure: args.every((a) => a.pure), readsData: true, boolean: false };
}

/** `{"var": [path, default]}`: the default is only evaluated when the path is not found. */
export const buildVar: Builder = (args) => {
  const pathNode = argAt(args, 0);
  const defaultNode = argAt(args, 1);
  const make = (run: Evaluator): Node => dataNode([pathNode, defaultNode], run);

  // json-logic-js turns an `undefined` default into null.
  const staticFallback = defaultNode.constant && !Array.isArray(defaultNode.value);
  const fallbackValue = defaultNode.value === undefined ? null : defaultNode.value;
  const fallbackRun = defaultNode.run;
  const fallback: Evaluator = (d) => {
    const v = fallbackRun(d);
    return v === undefined ? null : v;
  };

  if (pathNode.constant) {
    const path = parsePath(pathNode.value);
    if (path === null) return make((d) => d);
    if (staticFallback) return make(constantVar(path, fallbackValue));
    const get = getter(path);
    return make((d) => {
      const v = get(d);
      return v === undefined ? fallback(d) : v;
    });
  }
  const pathRun = pathNode.run;
  return make((d) => {
    const path = parsePath(pathRun(d));
    if (path === null) return d;
    const v = lookup(d, path);
    return v === undefined ? fallback(d) : v;
  });
};

/** One key to check for `missing`: the key as given, and its parsed path. */
interface Check {
  readonly key: unknown;
  readonly path: Path;
}

/** `missing` takes its keys as arguments, or as one array argument (e.g. the result of `merge`). */
function keysOf(values: readonly unknown[]): readonly unknown[] {
  const first = values[0];
  return Array.isArray(first) ? first : values;
}

function toChecks(keys: readonly unknown[]): Check[] {
  return keys.map((key) => ({ key, path: parsePath(key) }));
}

/** Keys whose `var` value is null or `""` (json-logic-js: `var` with a null default). */
function collectMissing(checks: readonly Check[], data: unknown): unknown[] {
  const missing: unknown[] = [];
  for (const { key, path } of checks) {
    if (path === null) {
      // The whole data: json-logic-js returns it as is, even undefined (which is then not "missing").
      if (data === null || data === '') missing.push(key);
    } else {
      const v = lookup(data, path);
      if (v === undefined || v === null || v === '') missing.push(key);
    }
  }
  return missing;
}

/** `{"missing": [keys...]}`: the keys not present in the data (null and `""` count as absent). */
export const buildMissing: Builder = (args) => {
  if (args.every((a) => a.constant)) {
    const checks = toChecks(keysOf(args.map((a) => a.value)));
    return dataNode(args, (d) => collectMissing(checks, d));
  }
  const runs = args.map((a) => a.run);
  return dataNode(args, (d) => collectMissing(toChecks(keysOf(runs.map((r) => r(d)))), d));
};

/** What `missing_some` compares against: json-logic-js uses `options.length`. */
function optionCount(options: unknown): number {
  if (options === null || options === undefined) return NaN;
  return (options as { length?: number }).length as number;
}

/** `{"missing_some": [need, keys]}`: `[]` when at least `need` keys are present, else the missing ones. */
export const buildMissingSome: Builder = (args) => {
  const needNode = argAt(args, 0);
  const optionsNode = argAt(args, 1);
  const needRun = needNode.run;
  const decide = (need: unknown, total: number, missing: unknown[]): unknown[] =>
    total - missing.length >= (need as number) ? [] : missing;

  if (optionsNode.constant) {
    const options = optionsNode.value;
    const checks = toChecks(Array.isArray(options) ? keysOf(options) : [options]);
    const total = optionCount(options);
    return dataNode(args, (d) => decide(needRun(d), total, collectMissing(checks, d)));
  }
  const optionsRun = optionsNode.run;
  return dataNode(args, (d) => {
    const need = needRun(d);
    const options = optionsRun(d);
    const checks = toChecks(Array.isArray(options) ? keysOf(options) : [options]);
    return decide(need, optionCount(options), collectMissing(checks, d));
  });
};
