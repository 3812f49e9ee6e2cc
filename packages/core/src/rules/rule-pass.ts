import { argAt, type Builder, type Evaluator, type Node } from './node.js';
import { type Key, type PathReader, reader as walker } from './ops-data.js';
import { truthy } from './truthy.js';

/** Segment memo states within a pass. */
const FALSE = 0;
const TRUE = 1;
const RUNNING = 2;
const THREW = 3;

/**
 * The bundle's segments, evaluated at most once per pass. A pass is one public call (`decide`,
 * `decideAll`, `segmentMembership`...): every rule in it reads the same root data, so a segment
 * used by many experiences costs one evaluation. Nothing is allocated per pass.
 */
export interface RulePass {
  /** Starts a pass over `data` (the `{ context, profile }` rules read). */
  begin(data: unknown): void;
  /** Segment `index` of the bundle on this pass's data; throws what its rule threw. */
  segment(index: number): boolean;
  /** The `segment` operator, compiled against the bundle's segment ids. */
  readonly builder: Builder;
  /** Sets the compiled rule of segment `index` (after every rule is compiled, so they may refer to each other). */
  define(index: number, test: (data: unknown) => unknown): void;
  /**
   * The bundle's `var` reads of constant paths: each distinct path read from the pass's data is
   * walked once per pass, however many rules read it (within map/filter/... scopes, `var` reads
   * the element: those reads are not cached). The rules reading a path with the same default
   * share one reader.
   */
  readonly read: PathReader;
}

/** Whether a CDP or the server put `id` in the profile's hydrated `segments`. */
function hydratedSegment(data: unknown, id: string): boolean {
  const profile = (data as { profile?: { segments?: unknown } } | null | undefined)?.profile;
  const segments = profile?.segments;
  return Array.isArray(segments) && segments.includes(id);
}

export function createRulePass(segmentIds: readonly string[]): RulePass {
  const indexOf = new Map<string, number>();
  segmentIds.forEach((id, i) => indexOf.set(id, i));
  const tests: ((data: unknown) => unknown)[] = segmentIds.map(() => () => false);
  const stamp = new Int32Array(segmentIds.length);
  const state = new Uint8Array(segmentIds.length);
  const errors: unknown[] = new Array(segmentIds.length);
  let epoch = 0;
  // Counts passes without wrapping, for the var readers' stamps (an earlier pass never matches).
  let reads = 0;
  let root: unknown;
  // Path → default → its reader. Defaults are JSON primitives; -0 (Map keys confuse it with 0) is not shared.
  const readers = new Map<string, Map<unknown, Evaluator>>();

  function reader(path: readonly Key[], fallback: unknown): Evaluator {
    const walk = walker(path, undefined);
    let at = -1;
    let value: unknown;
    return (d) => {
      let v: unknown;
      if (d !== root) v = walk(d);
      else if (at === reads) v = value;
      else {
        v = value = walk(d);
        at = reads;
      }
      return v === undefined ? fallback : v;
    };
  }

  function segment(i: number): boolean {
    if (stamp[i] === epoch) {
      const known = state[i];
      // A segment that (through a dynamic id) needs itself reads as false.
      if (known === THREW) throw errors[i];
      return known === TRUE;
    }
    stamp[i] = epoch;
    state[i] = RUNNING;
    try {
      const value = truthy((tests[i] as (data: unknown) => unknown)(root));
      state[i] = value ? TRUE : FALSE;
      return value;
    } catch (error) {
      state[i] = THREW;
      errors[i] = error;
      throw error;
    }
  }

  const byId = (id: string): boolean => {
    const i = indexOf.get(id);
    // An id the bundle does not define may come from hydration (a CDP's audiences).
    return i === undefined ? hydratedSegment(root, id) : segment(i);
  };

  // Segments are about the visitor: they read the pass's root data even inside map/filter/some.
  const builder: Builder = (args): Node => {
    const arg = argAt(args, 0);
    let run: (data: unknown) => boolean;
    if (arg.constant) {
      const id = String(arg.value);
      const i = indexOf.get(id);
      run = i === undefined ? () => hydratedSegment(root, id) : () => segment(i);
    } else {
      const idOf = arg.run;
      run = (d) => byId(String(idOf(d)));
    }
    return { run, constant: false, value: undefined, pure: true, readsData: true, boolean: true };
  };

  return {
    begin(data) {
      root = data;
      if (epoch === 0x7fffffff) {
        // After 2^31 passes: forget every stamp rather than mistake an old one for this pass.
        stamp.fill(0);
        epoch = 0;
      }
      epoch++;
      reads++;
    },
    segment,
    builder,
    define(index, test) {
      tests[index] = test;
    },
    read(path, fallback) {
      if (Object.is(fallback, -0)) return reader(path, fallback);
      const key = path.join('.');
      let byDefault = readers.get(key);
      if (byDefault === undefined) readers.set(key, (byDefault = new Map()));
      let read = byDefault.get(fallback);
      if (read === undefined) byDefault.set(fallback, (read = reader(path, fallback)));
      return read;
    },
  };
}
