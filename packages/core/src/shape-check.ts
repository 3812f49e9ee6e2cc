import { ownValue } from './decide/decision-state.js';
import { plainObject } from './json-value.js';

/*
 * Compact structural checks for data from outside (bundles, hydrations) on the device, where zod
 * would cost ~5 kB brotli. Problems are spelled as describeIssues (errors.ts) spells zod's:
 * `path: invalid type (expected string)`, `too small (at least 1)`, `invalid value (expected "a" or "b")`,
 * `missing`. A check returns what it accepted as zod's parse does: objects with their known keys
 * only, maps copied into objects without a prototype, anything else as it is.
 */

/** Takes one problem, `path: what is wrong`. */
export type Report = (problem: string) => void;
/** Checks a value found at `path` ('' for the root), reports what is wrong and returns the checked value. */
export type Check = (value: unknown, path: string, report: Report) => unknown;

/** A path as zod's are spelled: `experiences[0].variants`, `content.hero.type`. */
export const at = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Reports `problem` at `path` and returns the value unchanged. */
function say(report: Report, path: string, problem: string, value?: unknown): unknown {
  report(`${path || '(root)'}: ${problem}`);
  return value;
}

/** Values of one type whose size (a length, the number itself) lies within bounds, both inclusive. */
const sized =
  (expected: string, is: (value: unknown) => boolean, size: (value: never) => number) =>
  (min = -Infinity, max = Infinity): Check =>
  (value, path, report) =>
    !is(value)
      ? say(report, path, `invalid type (expected ${expected})`, value)
      : size(value as never) < min
        ? say(report, path, `too small (at least ${min})`, value)
        : size(value as never) > max
          ? say(report, path, `too big (at most ${max})`, value)
          : value;

export const string = sized('string', (value) => typeof value === 'string', (value: string) => value.length);
/** A finite number, as zod's z.number(). */
export const number = sized('number', Number.isFinite, (value: number) => value);

export const boolean: Check = (value, path, report) => (typeof value === 'boolean' ? value : say(report, path, 'invalid type (expected boolean)', value));

/** A whole number >= min. */
export const whole =
  (min: number): Check =>
  (value, path, report) =>
    Number.isFinite(number(min)(value, path, report)) && !Number.isInteger(value) ? say(report, path, `${value as number} is not a whole number`, value) : value;

/** Anything (a rule, a JSON value); a required key still has to be present. */
export const any: Check = (value) => value;

export const oneOf =
  (...values: string[]): Check =>
  (value, path, report) =>
    values.includes(value as string) ? value : say(report, path, `invalid value (expected ${values.map((v) => JSON.stringify(v)).join(' or ')})`, value);

/** An array (holes count as undefined items) of `min` to `max` items. */
export const array = (item: Check, min?: number, max?: number): Check => {
  const bounds = sized('array', Array.isArray, (value: unknown[]) => value.length)(min, max);
  return (value, path, report) => (bounds(value, path, report), Array.isArray(value) ? Array.from(value, (entry, i) => item(entry, at(path, i), report)) : value);
};

/**
 * A plain object with the keys of `shape`; a key written `name?` may be absent (or undefined).
 * Only own keys are read. Returns a copy with the known keys: other keys are dropped, as zod's
 * z.object drops them, or with `loose` (z.looseObject) kept as a map keeps them.
 */
export const object =
  (shape: Record<string, Check>, loose?: boolean): Check =>
  (value, path, report) => {
    if (!plainObject(value)) return say(report, path, 'invalid type (expected object)', value);
    const out = (loose ? record(any)(value, path, report) : {}) as Record<string, unknown>;
    for (const key in shape) {
      const name = key.replace('?', '');
      const item = ownValue(value, name);
      if (item !== undefined) out[name] = shape[key]!(item, at(path, name), report);
      else if (name === key) say(report, at(path, name), 'missing');
    }
    return out;
  };

/**
 * A map: a plain object whose every own key holds an `item`, copied into an object without a
 * prototype. A "__proto__" key is skipped, as zod skips it (assigning it would set a prototype).
 */
export const record =
  (item: Check): Check =>
  (value, path, report) => {
    if (!plainObject(value)) return say(report, path, 'invalid type (expected object)', value);
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = item(value[key], at(path, key), report);
    return out;
  };
