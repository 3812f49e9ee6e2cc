import type { EventStats } from '../profile/profile.js';
import type { RuleHost } from './rule-host.js';

/**
 * A rule host that answers each question (`count(name, window)`, `stats(name)`, `since(name)`...)
 * at most once per pass. Bundles ask the same questions in many rules ("product views in 7 days"),
 * and a windowed count scans time buckets; within a pass the profile and the clock do not change.
 */
export interface PassHost extends RuleHost {
  /** Starts a pass: answers from earlier passes are not reused. */
  begin(): void;
  /**
   * A constant question about the profile and the clock, resolved when the rule compiles: every
   * rule asking it calls the same function, which answers once per pass. `key` names the question
   * (distinct questions, distinct keys).
   */
  perPass<T>(key: string, ask: () => T): () => T;
  counter(name: string, windowMs: number | undefined): () => number;
  statsOf(name: string): () => EventStats | undefined;
  /** A constant question about the rule's data (e.g. an affinity score), answered once per pass and data. */
  perData<T>(key: string, ask: (data: unknown) => T): (data: unknown) => T;
}

const MAX_QUESTIONS = 2000;

export function createPassHost(host: RuleHost): PassHost {
  // Counts up without wrapping: a stamp of an earlier pass is never taken for this one.
  let pass = 0;
  // Question key → the one function answering it (shared: rules then touch one memo, not one each).
  const answers = new Map<string, (data?: unknown) => unknown>();
  const perPass = <T>(key: string, ask: () => T): (() => T) => {
    let answer = answers.get(key) as (() => T) | undefined;
    if (answer === undefined) {
      let at = -1;
      let value: T;
      answer = () => {
        if (at !== pass) {
          value = ask();
          at = pass;
        }
        return value;
      };
      answers.set(key, answer);
    }
    return answer;
  };
  const perData = <T>(key: string, ask: (data: unknown) => T): ((data: unknown) => T) => {
    let answer = answers.get(key) as ((data: unknown) => T) | undefined;
    if (answer === undefined) {
      let at = -1;
      let seen: unknown;
      let value: T;
      answer = (data) => {
        if (at !== pass || seen !== data) {
          value = ask(data);
          at = pass;
          seen = data;
        }
        return value;
      };
      answers.set(key, answer as (data?: unknown) => unknown);
    }
    return answer;
  };
  // Key prefixes keep the kinds of questions apart: c (count), s (stats); operators add their own.
  const counter = (name: string, windowMs: number | undefined): (() => number) => perPass(`c${windowMs}\n${name}`, () => host.count(name, windowMs));
  const statsOf = (name: string): (() => EventStats | undefined) => perPass(`s\n${name}`, () => host.stats(name));
  return {
    begin() {
      pass++;
      // Names can come from the data ({"count": [{"var": ...}]}): keep the memo bounded.
      if (answers.size > MAX_QUESTIONS) answers.clear();
    },
    now: () => host.now(),
    count: (name, windowMs) => counter(name, windowMs)(),
    stats: (name) => statsOf(name)(),
    perPass,
    counter,
    statsOf,
    perData,
    recent: () => host.recent(),
  };
}
