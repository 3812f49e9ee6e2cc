/** Operators over the visitor's history: count, since, first_seen, last_seen, affinity. */
import { notDuration, parseDuration } from '../profile/duration.js';
import type { EventStats } from '../profile/profile.js';
import { condition, type Evaluator, type Node } from './node.js';
import { arity, constantString, dataNode, fail, field, got, type HostBuilder } from './rule-args.js';

/** The event name: a constant is checked once; a name from the data that is not a string reads as never seen. */
function eventName(op: string, node: Node): (data: unknown) => string | undefined {
  constantString(op, node, 'the event name');
  const run = node.run;
  return (d) => {
    const name = run(d);
    return typeof name === 'string' ? name : undefined;
  };
}

/**
 * The window in milliseconds; `undefined` (no window: the lifetime) for a missing or null window,
 * `null` for a window from the data that is not a duration. A constant is parsed once.
 */
function windowOf(node: Node | undefined): (data: unknown) => number | undefined | null {
  if (node === undefined) return () => undefined;
  const parse = (text: unknown): number | undefined | null => (text == null ? undefined : parseDuration(text) ?? null);
  if (!node.constant) return (d) => parse(node.run(d));
  const ms = parse(node.value);
  if (ms === null) {
    fail('count', notDuration(node.value));
  }
  return () => ms;
}

/**
 * `count`: `[name, window?, filter?]`, events of that name in the window before now (the lifetime
 * without a window), from the host's time buckets. With a filter rule, counts the host's recent
 * raw events whose `{...data, event: {name, timestamp, properties}}` passes it. A window from the
 * data that is not a duration gives null.
 */
export const buildCount: HostBuilder = (args, host) => {
  arity('count', args, 1, 3, '[name, window?, filter?]');
  const name = eventName('count', args[0]!);
  const windowMs = windowOf(args[1]);
  const keep = args[2] && condition(args[2]);
  if (!keep && args[0]!.constant && (args[1] === undefined || args[1].constant) && host.counter) {
    return dataNode(args, host.counter(args[0]!.value as string, windowMs(undefined) as number | undefined));
  }
  return dataNode(args, (d) => {
    const n = name(d);
    const w = windowMs(d);
    if (w === null) return null;
    if (!keep) return n === undefined ? 0 : host.count(n, w);
    const cutoff = w === undefined ? -Infinity : host.now() - w;
    // One scope per evaluation, its `event` replaced per event. `event` comes first: V8 then
    // keeps the object fast; a spread per event, or `event` added after the spread, cost ~1 µs each.
    const scope: Record<string, unknown> = { event: null, ...(d as object) };
    let total = 0;
    for (const e of host.recent()) {
      if (e.name !== n || e.t < cutoff) continue; // an event exactly `window` old is in, as in the bucketed count
      scope.event = { name: n, timestamp: e.t, properties: e.properties };
      if (keep(scope)) total++;
    }
    return total;
  });
};

/** An operator reading an event name's lifetime stats, with its value for a name never seen. */
const fromStats =
  (op: string, value: (stats: EventStats, nowMs: number) => number, never: number | null): HostBuilder =>
  (args, host) => {
    arity(op, args, 1, 1, '[name]');
    const name = eventName(op, args[0]!);
    if (args[0]!.constant && host.statsOf && host.perPass) {
      // A bundle's pass host: the answer (a number: `since` would box a new one per evaluation) once per pass.
      const stats = host.statsOf(args[0]!.value as string);
      return dataNode(args, host.perPass(`${op}\n${args[0]!.value as string}`, () => {
        const s = stats();
        return s ? value(s, host.now()) : never;
      }));
    }
    return dataNode(args, (d) => {
      const n = name(d);
      const stats = n === undefined ? undefined : host.stats(n);
      return stats ? value(stats, host.now()) : never;
    });
  };

/**
 * `since`: seconds since the last event of that name; Infinity when never seen, so `<` is false
 * and `>` true. An event stamped ahead of the clock (another tab, a clock set back) is 0 seconds old.
 */
export const buildSince = fromStats('since', (s, now) => Math.max(0, now - s.lastSeen) / 1000, Infinity);
/** `first_seen`: epoch milliseconds of the first event of that name, null when never seen. */
export const buildFirstSeen = fromStats('first_seen', (s) => s.firstSeen, null);
/** `last_seen`: epoch milliseconds of the last event of that name, null when never seen. */
export const buildLastSeen = fromStats('last_seen', (s) => s.lastSeen, null);

/**
 * The `n` best values of a dimension: from `profile.top` when it holds that many, else sorted from
 * `profile.affinities` as the profile sorts them (score, then name), for `n` beyond the top list.
 */
function topValues(profile: unknown, dimension: string, n: number): unknown[] {
  const top = field(field(profile, 'top'), dimension);
  if (Array.isArray(top) && top.length >= n) return top.slice(0, n);
  const scores = field(field(profile, 'affinities'), dimension);
  if (scores === null || typeof scores !== 'object') return Array.isArray(top) ? top.slice() : [];
  const s = scores as Record<string, unknown>;
  return Object.keys(s)
    .filter((k) => Number.isFinite(s[k]))
    .sort((a, b) => (s[b] as number) - (s[a] as number) || (a < b ? -1 : 1))
    .slice(0, n);
}

/**
 * `affinity`: `[dimension]` the top value or null; `[dimension, "value"]` its decayed score (0 when
 * none; values are matched trimmed and lower-cased, as the profile stores them); `[dimension, n]`
 * the top n values. Reads `profile.top` and `profile.affinities` of the data.
 */
export const buildAffinity: HostBuilder = (args, host) => {
  arity('affinity', args, 1, 2, '[dimension], [dimension, "value"] or [dimension, n]');
  const [dimNode, pick] = args as [Node, Node | undefined];
  constantString('affinity', dimNode, 'the dimension');
  const v = pick?.value;
  if (pick?.constant && (typeof v === 'number' ? !(Number.isInteger(v) && v > 0) : typeof v !== 'string')) {
    fail('affinity', `the second argument must be a value (a string) or how many top values (a whole number >= 1)${got(v)}`);
  }
  const dimension = dimNode.run;
  const picked: Evaluator = pick?.run ?? (() => 1);
  // The common shapes, specialized: a constant value normalized once; the top value read without a copy of the list.
  if (dimNode.constant && (pick === undefined || (pick.constant && typeof v === 'string'))) {
    const dim = dimNode.value as string;
    const key = typeof v === 'string' ? v.trim().toLowerCase() : '';
    const ask = (d: unknown): unknown => {
      const profile = field(d, 'profile');
      if (pick !== undefined) {
        const score = field(field(field(profile, 'affinities'), dim), key);
        return Number.isFinite(score) ? score : 0;
      }
      const top = field(field(profile, 'top'), dim);
      return (Array.isArray(top) && top.length > 0 ? top : topValues(profile, dim, 1))[0] ?? null;
    };
    // Rules of a bundle asking the same question on the same data share the answer within a pass.
    return dataNode(args, host.perData?.(`a${JSON.stringify([dim, pick && key])}`, ask) ?? ask);
  }
  return dataNode(args, (d) => {
    const dim = dimension(d);
    const p = picked(d);
    if (typeof dim !== 'string') return null;
    const profile = field(d, 'profile');
    if (typeof p === 'string') {
      const score = field(field(field(profile, 'affinities'), dim), p.trim().toLowerCase());
      return Number.isFinite(score) ? score : 0;
    }
    if (!(Number.isInteger(p) && (p as number) > 0)) return null;
    const top = topValues(profile, dim, p as number);
    return pick === undefined ? top[0] ?? null : top;
  });
};
