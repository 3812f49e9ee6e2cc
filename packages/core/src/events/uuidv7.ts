/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Ids sort by creation time, so the
 * IndexedDB queue keyed by id is also ordered oldest-first, and collectors can drop duplicates.
 * Hand-written (15 lines) rather than the `uuid` package to keep the tag small.
 */
export function createUuidV7Generator(now: () => number, randomBytes: (b: Uint8Array) => Uint8Array) {
  let lastMs = 0;
  let sequence = 0;
  return function uuidv7(): string {
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
      sequence = randomBytes(new Uint8Array(1))[0]! & 0x7f;
    }
    lastMs = ms;
    const bytes = randomBytes(new Uint8Array(16));
    for (let i = 5; i >= 0; i--) {
      bytes[i] = ms % 256;
      ms = Math.floor(ms / 256);
    }
    bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
    bytes[7] = sequence & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    let hex = '';
    for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
