/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, a 12-bit sequence, then random bits. Ids sort by
 * creation time, so the IndexedDB queue keyed by id is also ordered oldest-first, and collectors
 * can drop duplicates. Hand-written (25 lines) rather than the `uuid` package to keep the tag small;
 * pooled random bytes and a hex table, because it runs on every track().
 */
const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

export function createUuidV7Generator(now: () => number, randomBytes: (b: Uint8Array) => Uint8Array) {
  let lastMs = 0;
  let sequence = 0;
  const bytes = new Uint8Array(16);
  // One getRandomValues call per 64 ids instead of one per id: the call costs more than the bytes.
  const pool = new Uint8Array(16 * 64);
  let used = pool.length;
  return function uuidv7(): string {
    if (used === pool.length) {
      randomBytes(pool);
      used = 0;
    }
    bytes.set(pool.subarray(used, (used += 16)));
    let ms = now();
    // Within one millisecond (or if the clock steps back) keep ids strictly increasing.
    if (ms <= lastMs) {
      ms = lastMs;
      sequence++;
      if (sequence > 0xfff) {
        ms = ++lastMs;
        sequence = 0;
      }
    } else {
      sequence = bytes[6]! & 0x7f; // A random start leaves room to count up within the millisecond.
    }
    lastMs = ms;
    for (let i = 5; i >= 0; i--) {
      bytes[i] = ms % 256;
      ms = Math.floor(ms / 256);
    }
    bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
    bytes[7] = sequence & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const h = (i: number) => HEX[bytes[i]!]!;
    return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
  };
}
