/** Reused by utf8Length: made on the first call (nothing runs at import time), grown as needed. */
let encoder: TextEncoder | undefined;
let scratch = new Uint8Array(0);
/** Texts longer than this are counted by the loop: a scratch buffer 3× their length is not kept. */
const SCRATCH_MAX_CHARS = 1 << 15; // An event is at most 32 KiB.

/**
 * UTF-8 byte length of a string. Size limits (keepalive's 64 KiB, Segment's 500 KB) count bytes,
 * not UTF-16 code units, and this avoids allocating an encoded copy of every event.
 * `encodeInto` a reused buffer is ~20× faster than the loop (measured: 0.07 against 1.5 µs for a
 * 600-byte event), which delivery pays per event when it packs request bodies.
 */
export function utf8Length(text: string): number {
  if (text.length <= SCRATCH_MAX_CHARS && typeof TextEncoder == 'function') {
    encoder ??= new TextEncoder();
    // A UTF-16 code unit takes at most 3 bytes (a surrogate pair, 2 units, takes 4).
    if (scratch.length < text.length * 3) scratch = new Uint8Array(Math.max(1024, text.length * 3));
    return encoder.encodeInto(text, scratch).written;
  }
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // A surrogate pair is one 4-byte code point.
        i++;
      } else bytes += 3;
    } else bytes += 3; // Includes a lone surrogate, which encodes as U+FFFD (3 bytes).
  }
  return bytes;
}
