/** Made on the first call (nothing runs at import time); the buffer grows as needed. */
let encoder: TextEncoder | undefined;
let scratch = new Uint8Array(0);
/** Longer texts (request bodies) are encoded in a copy: a scratch buffer 3× their length is not kept. */
const SCRATCH_MAX_CHARS = 1 << 15; // An event is at most 32 KiB.

/**
 * UTF-8 byte length of a string. Size limits (keepalive's 64 KiB, Segment's 500 KB) count bytes,
 * not UTF-16 code units. `encodeInto` a reused buffer allocates nothing and is ~20× faster than a
 * charCodeAt loop (0.07 against 1.5 µs for a 600-byte event, node 20), which delivery pays per
 * event when it packs request bodies. Lone surrogates count as U+FFFD (3 bytes), as they are sent.
 */
export function utf8Length(text: string): number {
  encoder ??= new TextEncoder();
  if (text.length > SCRATCH_MAX_CHARS) return encoder.encode(text).length;
  // A UTF-16 code unit takes at most 3 bytes (a surrogate pair, 2 units, takes 4).
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  return encoder.encodeInto(text, scratch).written;
}
