import { argAt, type Builder, condition, derived, type Evaluator, literal, type Node } from './node.js';

/**
 * A node iterating an array with a scoped rule. The scoped rule sees each element as its data,
 * so only the array (and `reduce`'s initial value) read the outer data.
 */
function scoped(outer: readonly Node[], logic: Node, run: Evaluator, boolean = false): Node {
  const node = derived(outer, run, boolean);
  return { ...node, pure: node.pure && logic.pure };
}

/** `map`: `[array, rule]`, the rule applied to each element; `[]` when the first is not an array. */
export const buildMap: Builder = (args) => {
  const source = argAt(args, 0);
  const logic = argAt(args, 1);
  const list = source.run;
  const f = logic.run;
  return scoped([source], logic, (d) => {
    const items = list(d);
    if (!Array.isArray(items)) return [];
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = f(items[i]);
    return out;
  });
};

/** `filter`: the elements for which the rule is truthy; `[]` when the first is not an array. */
export const buildFilter: Builder = (args) => {
  const source = argAt(args, 0);
  const logic = argAt(args, 1);
  const list = source.run;
  const keep = condition(logic);
  return scoped([source], logic, (d) => {
    const items = list(d);
    if (!Array.isArray(items)) return [];
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) if (keep(items[i])) out.push(items[i]);
    return out;
  });
};

/**
 * `reduce`: `[array, rule, initial?]`. The rule's data is `{current, accumulator}`; the initial
 * value defaults to null, and is the result when the first argument is not an array.
 */
export const buildReduce: Builder = (args) => {
  const source = argAt(args, 0);
  const logic = argAt(args, 1);
  const initialNode = args.length > 2 ? argAt(args, 2) : literal(null);
  const list = source.run;
  const f = logic.run;
  const initial = initialNode.run;
  return scoped([source, initialNode], logic, (d) => {
    const items = list(d);
    let accumulator = initial(d);
    if (!Array.isArray(items)) return accumulator;
    // A fresh scope object per step: the rule may return it whole ({"var": ""}).
    for (let i = 0; i < items.length; i++) accumulator = f({ current: items[i], accumulator });
    return accumulator;
  });
};

/** `all`: every element passes; false for an empty array or a non-array (JSON Logic's choice). */
export const buildAll: Builder = (args) => {
  const source = argAt(args, 0);
  const logic = argAt(args, 1);
  const list = source.run;
  const test = condition(logic);
  return scoped([source], logic, (d) => {
    const items = list(d);
    if (!Array.isArray(items) || items.length === 0) return false;
    for (let i = 0; i < items.length; i++) if (!test(items[i])) return false;
    return true;
  }, true);
};

/** `some`: at least one element passes; false for an empty array or a non-array. */
export const buildSome: Builder = (args) => {
  const source = argAt(args, 0);
  const logic = argAt(args, 1);
  const list = source.run;
  const test = condition(logic);
  return scoped([source], logic, (d) => {
    const items = list(d);
    if (!Array.isArray(items)) return false;
    for (let i = 0; i < items.length; i++) if (test(items[i])) return true;
    return false;
  }, true);
};

/** `none`: no element passes; true for an empty array or a non-array. */
export const buildNone: Builder = (args) => {
  const source = argAt(args, 0);
  const logic = argAt(args, 1);
  const list = source.run;
  const test = condition(logic);
  return scoped([source], logic, (d) => {
    const items = list(d);
    if (!Array.isArray(items)) return true;
    for (let i = 0; i < items.length; i++) if (test(items[i])) return false;
    return true;
  }, true);
};

/** `merge`: flatten the arguments one level into a new array (non-arrays are appended as is). */
export const buildMerge: Builder = (args) => {
  const runs = args.map((a) => a.run);
  return derived(args, (d) => {
    const out: unknown[] = [];
    for (let i = 0; i < runs.length; i++) {
      const value = (runs[i] as Evaluator)(d);
      if (Array.isArray(value)) for (let j = 0; j < value.length; j++) out.push(value[j]);
      else out.push(value);
    }
    return out;
  });
};
