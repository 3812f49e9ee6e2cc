/**
 * UTF-8 byte length of a string. Size limits (keepalive's 64 KiB, Segment's 500 KB) count bytes,
 * not UTF-16 code units, and this avoids allocating an encoded copy of every event.
 */
export function utf8Length(text: string): number {
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
