/** Helpers for objects keyed by names that come from data (event names, property values, traits, ids). */

/**
 * A map keyed by data: no prototype, so every key ("constructor", "__proto__"...) is an ordinary
 * own key, reading a missing one gives undefined, and writing one never reaches a built-in. The
 * own enumerable keys of each `from` are copied in (e.g. a map read back from storage: a
 * structured clone or JSON.parse gives it Object.prototype again).
 */
export const dict = <T>(...from: (object | undefined)[]): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, ...from);

/** `obj[key]` only when it is an own key: "constructor" or "toString" must not read Object.prototype. */
export function own<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Deletes the lowest-scored keys until at most `max` remain; ties drop the later name, so the
 * outcome does not depend on insertion order. `keep` (the key just added) is never dropped: a new
 * value must be able to enter a full record, or it could never build up a score.
 */
export function dropLowest<T>(obj: Record<string, T>, max: number, score: (value: T) => number, keep?: string): void {
  for (let keys = Object.keys(obj); keys.length > max; ) {
    let low: string | undefined;
    let lowScore = Infinity;
    for (const key of keys) {
      const s = score(obj[key]!);
      if (key !== keep && (low === undefined || s < lowScore || (s === lowScore && key > low))) {
        low = key;
        lowScore = s;
      }
    }
    if (low === undefined) return;
    delete obj[low];
    keys = keys.filter((key) => key !== low);
  }
}
