import { argAt, type Builder, derived, type Evaluator, type Node } from './node.js';
import { whole } from './ops-data.js';

/** How `Array.prototype.join` stringifies (json-logic-js `cat` joins): null and undefined become "". */
function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/** `cat`: concatenate the arguments as strings. */
export const buildCat: Builder = (args) => {
  const runs = args.map((a) => a.run);
  const [a, b, c] = runs as [Evaluator, Evaluator, Evaluator];
  switch (runs.length) {
    case 1:
      return derived(args, (d) => text(a(d)));
    case 2:
      return derived(args, (d) => text(a(d)) + text(b(d)));
    case 3:
      return derived(args, (d) => text(a(d)) + text(b(d)) + text(c(d)));
    default:
      return derived(args, (d) => {
        let out = '';
        for (let i = 0; i < runs.length; i++) out += text((runs[i] as Evaluator)(d));
        return out;
      });
  }
};

/**
 * `substr`: `[source, start, length?]`. A negative start counts from the end; a negative length
 * drops that many characters from the end (PHP's behaviour, as json-logic-js emulates it).
 */
export const buildSubstr: Builder = (args) => {
  const source = argAt(args, 0).run;
  const start = argAt(args, 1).run;
  const length = argAt(args, 2).run;
  return derived(args, (d) => {
    const s = String(source(d));
    const from = start(d) as number;
    const count = length(d) as number;
    if (count < 0) {
      const rest = s.substr(from);
      return rest.substr(0, rest.length + count);
    }
    return s.substr(from, count);
  });
};

/** json-logic-js `in`: substring test for strings, strict membership for arrays, false otherwise. */
function contains(needle: unknown, haystack: unknown): boolean {
  if (typeof haystack === 'string') return haystack !== '' && haystack.indexOf(needle as string) !== -1;
  if (Array.isArray(haystack)) return haystack.indexOf(needle) !== -1;
  if (!haystack) return false;
  const indexOf = (haystack as { indexOf?: unknown }).indexOf;
  return typeof indexOf === 'function' && (indexOf as (x: unknown) => number).call(haystack, needle) !== -1;
}

/** `in`: `[needle, haystack]`, specialized for a literal haystack (the usual `["en", "fr"]` list). */
export const buildIn: Builder = (args) => {
  const needle = argAt(args, 0).run;
  const hayNode: Node = argAt(args, 1);
  const hay = hayNode.value;
  if (hayNode.constant && Array.isArray(hay)) {
    // The literal is only read, never returned, so it needs no per-evaluation copy.
    // Above 16 items a Set lookup beats indexOf. indexOf is strict equality; Set.has (SameValueZero)
    // differs only for NaN, excluded here (objects compare by identity in both).
    if (hay.length > 16 && !hay.includes(NaN)) {
      const set = new Set<unknown>(hay);
      return derived(args, (d) => set.has(needle(d)), true);
    }
    return derived(args, needle === whole ? (d) => hay.indexOf(d) !== -1 : (d) => hay.indexOf(needle(d)) !== -1, true);
  }
  const haystack = hayNode.run;
  return derived(args, (d) => contains(needle(d), haystack(d)), true);
};

/** `log`: print the first argument with console.log and return it (never folded: it has an effect). */
export const buildLog: Builder = (args) => {
  const a = argAt(args, 0).run;
  const run: Evaluator = (d) => {
    const value = a(d);
    console.log(value);
    return value;
  };
  return { ...derived(args, run), pure: false };
};
