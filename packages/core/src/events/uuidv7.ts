/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, a 12-bit sequence, then random bits. Ids sort by
 * creation time, so the IndexedDB queue keyed by id is also ordered oldest-first, and collectors
 * can drop duplicates. Hand-written rather than the `uuid` package to keep the tag small;
 * pooled random bytes and character codes, because it runs on every track().
 */

/** Character codes of the hex digits. */
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

export function createUuidV7Generator(now: () => number, randomBytes: (b: Uint8Array) => Uint8Array) {
  let lastMs = 0;
  let sequence = 0;
  // One getRandomValues call per 64 ids instead of one per id: the call costs more than the bytes.
  const pool = new Uint8Array(16 * 64);
  let used = pool.length;
  /** The id's 36 character codes, dashes in place. */
  const codes: number[] = new Array<number>(36).fill(45);
  let at = 0;
  const put = (byte: number): void => {
    if (at === 8 || at === 13 || at === 18 || at === 23) at++;
    codes[at++] = HEX[byte >> 4]!;
    codes[at++] = HEX[byte & 15]!;
  };
  /** `nowMs`: the clock when the caller has just read it. */
  return function uuidv7(nowMs: number = now()): string {
    if (used === pool.length) {
      randomBytes(pool);
      used = 0;
    }
    const r = used;
    used += 16;
    let ms = nowMs;
    // Within one millisecond (or if the clock steps back) keep ids strictly increasing.
    if (ms <= lastMs) {
      ms = lastMs;
      sequence++;
      if (sequence > 0xfff) {
        ms = ++lastMs;
        sequence = 0;
      }
    } else {
      sequence = pool[r + 6]! & 0x7f; // A random start leaves room to count up within the millisecond.
    }
    lastMs = ms;
    // 48 bits of whole milliseconds (ms is never negative: lastMs starts at 0), as two integers.
    const high = Math.floor(ms / 0x1_0000_0000);
    const low = ms >>> 0;
    at = 0;
    put((high >>> 8) & 0xff);
    put(high & 0xff);
    put(low >>> 24);
    put((low >>> 16) & 0xff);
    put((low >>> 8) & 0xff);
    put(low & 0xff);
    put(0x70 | ((sequence >> 8) & 0x0f));
    put(sequence & 0xff);
    put(0x80 | (pool[r + 8]! & 0x3f));
    for (let i = 9; i < 16; i++) put(pool[r + i]!);
    // One flat string: a template literal makes a rope of 21 pieces that every later use
    // (hashing it, storing it) must first copy into one.
    return String.fromCharCode.apply(null, codes);
  };
}
