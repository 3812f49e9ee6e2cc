/** Applying each event once: the ids a profile has applied, and a fast check for a new one. */
import { trimOldest } from './recent-events.js';

/** What is known of one `seen` array, kept outside the stored data (a structured clone is a new array, so it gets its own). */
interface SeenIndex {
  /** `seen.length` when last updated here: another length means the array was changed elsewhere. */
  length: number;
  /** No id in `seen` sorts after this one; undefined while `seen` is empty. */
  max: string | undefined;
  /** The first `indexed` ids of `seen`, built when first needed. */
  set: Set<string> | undefined;
  indexed: number;
}

const indexes = new WeakMap<string[], SeenIndex>();
// One profile takes every event: the last pair is kept at hand (a WeakMap lookup per track() is measurable).
let lastSeen: string[] | undefined;
let lastIndex: SeenIndex | undefined;

function indexOf(seen: string[]): SeenIndex {
  let index = seen === lastSeen ? lastIndex : indexes.get(seen);
  if (!index || index.length !== seen.length) {
    let max: string | undefined;
    for (const id of seen) if (max === undefined || id > max) max = id;
    index = { length: seen.length, max, set: undefined, indexed: 0 };
    indexes.set(seen, index);
  }
  lastSeen = seen;
  lastIndex = index;
  return index;
}

/**
 * Remembers `id` in `seen` (newest last, trimmed in batches to `cap`); false, changing nothing,
 * when it is there already. An id sorting after every remembered one is new without a lookup:
 * the usual case, as UUIDv7 ids grow with time. Others are looked up in a Set that catches up
 * with `seen` only then, since hashing a 36-character id costs more in Chromium than the rest
 * of a profile update.
 */
export function markSeen(seen: string[], id: string, cap: number): boolean {
  const index = indexOf(seen);
  if (index.max === undefined || id > index.max) index.max = id;
  else {
    const set = (index.set ??= new Set());
    while (index.indexed < seen.length) set.add(seen[index.indexed++]!);
    if (set.has(id)) return false;
  }
  seen.push(id);
  const old = trimOldest(seen, cap);
  if (index.set) for (let i = 0; i < old.length && i < index.indexed; i++) index.set.delete(old[i]!);
  index.indexed = Math.max(0, index.indexed - old.length);
  index.length = seen.length;
  return true;
}
