import type { EventStats } from '../profile/profile.js';
import type { RuleHost } from './attune-operators.js';

interface Memo<T> {
  pass: number;
  value: T;
}

/**
 * A rule host that answers each `count(name, window)` and `stats(name)` at most once per pass.
 * Bundles ask the same questions in many rules ("product views in 7 days"), and a windowed
 * count scans time buckets; within a pass the profile and the clock do not change. The memo
 * entries are made once per distinct question and reused by later passes: no allocation per pass.
 */
export interface PassHost extends RuleHost {
  /** Starts a pass: answers from earlier passes are not reused. */
  begin(): void;
  /**
   * A constant question, resolved when the rule compiles: the rules asking it share one memo,
   * read without the lookups `count` and `stats` make per call.
   */
  counter(name: string, windowMs: number | undefined): () => number;
  statsOf(name: string): () => EventStats | undefined;
}

const MAX_NAMES = 1000;

export function createPassHost(host: RuleHost): PassHost {
  let pass = 1;
  // name → window (-1 for the lifetime) → count
  const counts = new Map<string, Map<number, Memo<number>>>();
  const stats = new Map<string, Memo<EventStats | undefined>>();
  // The memos compiled rules hold: they outlive the maps.
  const held: Memo<unknown>[] = [];
  const countMemo = (name: string, windowMs: number | undefined): Memo<number> => {
    let windows = counts.get(name);
    if (windows === undefined) counts.set(name, (windows = new Map()));
    const key = windowMs === undefined ? -1 : windowMs;
    let memo = windows.get(key);
    if (memo === undefined) windows.set(key, (memo = { pass: 0, value: 0 }));
    return memo;
  };
  const countOf = (memo: Memo<number>, name: string, windowMs: number | undefined): number => {
    if (memo.pass !== pass) {
      memo.value = host.count(name, windowMs);
      memo.pass = pass;
    }
    return memo.value;
  };
  const statsMemo = (name: string): Memo<EventStats | undefined> => {
    let memo = stats.get(name);
    if (memo === undefined) stats.set(name, (memo = { pass: 0, value: undefined }));
    return memo;
  };
  const statsFrom = (memo: Memo<EventStats | undefined>, name: string): EventStats | undefined => {
    if (memo.pass !== pass) {
      memo.value = host.stats(name);
      memo.pass = pass;
    }
    return memo.value;
  };
  return {
    begin() {
      pass = pass === 0x7fffffff ? 1 : pass + 1;
      // Names can come from the data ({"count": [{"var": ...}]}): keep the memo bounded.
      if (pass === 1 || counts.size > MAX_NAMES || stats.size > MAX_NAMES) {
        counts.clear();
        stats.clear();
      }
      // After 2^31 passes, an old stamp could pass for this one.
      if (pass === 1) for (const memo of held) memo.pass = 0;
    },
    now: () => host.now(),
    count: (name, windowMs) => countOf(countMemo(name, windowMs), name, windowMs),
    stats: (name) => statsFrom(statsMemo(name), name),
    counter(name, windowMs) {
      const memo = countMemo(name, windowMs);
      held.push(memo);
      return () => countOf(memo, name, windowMs);
    },
    statsOf(name) {
      const memo = statsMemo(name);
      held.push(memo);
      return () => statsFrom(memo, name);
    },
    recent: () => host.recent(),
  };
}
