/** Helpers for plain objects keyed by names that come from the page (event names, property values). */

const hasOwn = Object.prototype.hasOwnProperty;

/** `obj[key]` only when it is an own key: "constructor" or "toString" must not read Object.prototype. */
export function own<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn.call(obj, key) ? obj[key] : undefined;
}

/** Assigning "__proto__" would replace the object's prototype instead of adding a key: never stored. */
export function storable(key: string): boolean {
  return key !== '__proto__';
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
