import type { EventStats } from '../profile/profile.js';
import type { RuleHost } from './attune-operators.js';

interface Memo<T> {
  pass: number;
  value: T;
  data?: unknown;
}

/**
 * A rule host that answers each `count(name, window)` and `stats(name)` at most once per pass.
 * Bundles ask the same questions in many rules ("product views in 7 days"), and a windowed
 * count scans time buckets; within a pass the profile and the clock do not change. The memo
 * entries are made once per distinct question and reused by later passes.
 */
export interface PassHost extends RuleHost {
  /** Starts a pass: answers from earlier passes are not reused. */
  begin(): void;
  /**
   * A constant question, resolved when the rule compiles: the rules asking it share one memo,
   * read without the lookup `count` and `stats` make per call.
   */
  counter(name: string, windowMs: number | undefined): () => number;
  statsOf(name: string): () => EventStats | undefined;
  /** A constant question about the rule's data (e.g. an affinity score), answered once per pass and data. */
  perData<T>(key: string, ask: (data: unknown) => T): (data: unknown) => T;
}

const MAX_QUESTIONS = 2000;

export function createPassHost(host: RuleHost): PassHost {
  // Counts up without wrapping: a stamp of an earlier pass is never taken for this one.
  let pass = 0;
  const memos = new Map<string, Memo<unknown>>();
  const question = <T>(key: string, ask: (data: unknown) => T): ((data?: unknown) => T) => {
    let memo = memos.get(key) as Memo<T> | undefined;
    if (memo === undefined) memos.set(key, (memo = { pass: -1, value: undefined as T, data: undefined }));
    const m = memo;
    return (data) => {
      if (m.pass !== pass || m.data !== data) {
        m.value = ask(data);
        m.pass = pass;
        m.data = data;
      }
      return m.value;
    };
  };
  // Answers about the profile alone: asked without the data, so any data shares them.
  const about = <T>(key: string, ask: () => T): (() => T) => {
    const answer = question(key, ask);
    return () => answer();
  };
  const counter = (name: string, windowMs: number | undefined): (() => number) => about(`c${windowMs}\n${name}`, () => host.count(name, windowMs));
  const statsOf = (name: string): (() => EventStats | undefined) => about(`s\n${name}`, () => host.stats(name));
  return {
    begin() {
      pass++;
      // Names can come from the data ({"count": [{"var": ...}]}): keep the memo bounded.
      if (memos.size > MAX_QUESTIONS) memos.clear();
    },
    now: () => host.now(),
    count: (name, windowMs) => counter(name, windowMs)(),
    stats: (name) => statsOf(name)(),
    counter,
    statsOf,
    perData: question,
    recent: () => host.recent(),
  };
}
