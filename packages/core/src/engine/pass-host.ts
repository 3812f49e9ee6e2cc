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
}

const MAX_NAMES = 1000;

export function createPassHost(host: RuleHost): PassHost {
  let pass = 1;
  // name → window (-1 for the lifetime) → count
  const counts = new Map<string, Map<number, Memo<number>>>();
  const stats = new Map<string, Memo<EventStats | undefined>>();
  return {
    begin() {
      pass = pass === 0x7fffffff ? 1 : pass + 1;
      // Names can come from the data ({"count": [{"var": ...}]}): keep the memo bounded.
      if (pass === 1 || counts.size > MAX_NAMES || stats.size > MAX_NAMES) {
        counts.clear();
        stats.clear();
      }
    },
    now: () => host.now(),
    count(name, windowMs) {
      let windows = counts.get(name);
      if (windows === undefined) counts.set(name, (windows = new Map()));
      const key = windowMs === undefined ? -1 : windowMs;
      let memo = windows.get(key);
      if (memo === undefined) windows.set(key, (memo = { pass: 0, value: 0 }));
      if (memo.pass !== pass) {
        memo.value = host.count(name, windowMs);
        memo.pass = pass;
      }
      return memo.value;
    },
    stats(name) {
      let memo = stats.get(name);
      if (memo === undefined) stats.set(name, (memo = { pass: 0, value: undefined }));
      if (memo.pass !== pass) {
        memo.value = host.stats(name);
        memo.pass = pass;
      }
      return memo.value;
    },
    recent: () => host.recent(),
  };
}
