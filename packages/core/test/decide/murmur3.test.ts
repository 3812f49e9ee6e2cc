import { describe, expect, it } from 'vitest';
import { murmur3_x86_32 } from '../../src/decide/murmur3.js';
import { naiveMurmur3 } from './naive-assignment.js';
import { prng } from '../../../../bench/prng.mjs';

/**
 * Published reference values for MurmurHash3_x86_32, copied from their sources (not computed here):
 * - BOYD: Ian Boyd's vectors, checked against SMHasher's test code, https://stackoverflow.com/a/31929528
 *   (also used by the mmh3 Python package's tests).
 * - GO: github.com/spaolacci/murmur3, murmur_test.go (`data`, the h32 column).
 * - ABSMARTLY: github.com/absmartly/javascript-sdk, src/__tests__/murmur3_32.test.js (UTF-8 strings).
 */
const BOYD_BYTES: [number[], number, number][] = [
  [[], 0, 0],
  [[], 1, 0x514e28b7],
  [[], 0xffffffff, 0x81f16f39],
  [[0xff, 0xff, 0xff, 0xff], 0, 0x76293b50],
  [[0x21, 0x43, 0x65, 0x87], 0, 0xf55b516b],
  [[0x21, 0x43, 0x65, 0x87], 0x5082edee, 0x2362f9de],
  [[0x21, 0x43, 0x65], 0, 0x7e4a8634],
  [[0x21, 0x43], 0, 0xa0f7b07a],
  [[0x21], 0, 0x72661cf4],
  [[0, 0, 0, 0], 0, 0x2362f9de],
  [[0, 0, 0], 0, 0x85f0b427],
  [[0, 0], 0, 0x30f4c306],
  [[0], 0, 0x514e28b7],
];

const PUBLISHED_STRINGS: [source: string, input: string, seed: number, hash: number][] = [
  ['BOYD', '', 0, 0],
  ['BOYD', '', 1, 0x514e28b7],
  ['BOYD', '', 0xffffffff, 0x81f16f39],
  ['BOYD', '\0\0\0\0', 0, 0x2362f9de],
  ['BOYD', 'aaaa', 0x9747b28c, 0x5a97808a],
  ['BOYD', 'aaa', 0x9747b28c, 0x283e0130],
  ['BOYD', 'aa', 0x9747b28c, 0x5d211726],
  ['BOYD', 'a', 0x9747b28c, 0x7fa09ea6],
  ['BOYD', 'abcd', 0x9747b28c, 0xf0478627],
  ['BOYD', 'abc', 0x9747b28c, 0xc84a62dd],
  ['BOYD', 'ab', 0x9747b28c, 0x74875592],
  ['BOYD', 'Hello, world!', 0x9747b28c, 0x24884cba],
  ['BOYD', 'ππππππππ', 0x9747b28c, 0xd58063c1],
  ['BOYD', 'a'.repeat(256), 0x9747b28c, 0x37405bdc],
  ['BOYD', 'abc', 0, 0xb3dd93fa],
  ['BOYD', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 0, 0xee925b90],
  ['BOYD', 'The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['GO', 'hello', 0, 0x248bfa47],
  ['GO', 'hello, world', 0, 0x149bbb7f],
  ['GO', '19 Jan 2038 at 3:14:07 AM', 0, 0xe31e8a70],
  ['GO', 'The quick brown fox jumps over the lazy dog.', 0, 0xd5c48bfc],
  ['GO', 'hello', 1, 0xbb4abcad],
  ['GO', '19 Jan 2038 at 3:14:07 AM', 1, 0xf50e1f30],
  ['GO', '', 0x2a, 0x087fcd5c],
  ['GO', 'hello', 0x2a, 0xe2dbd2e1],
  ['GO', 'The quick brown fox jumps over the lazy dog.', 0x2a, 0xc02d1434],
  ['ABSMARTLY', 'The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ['ABSMARTLY', 'testy123', 0, 0x47628ac4],
  ['ABSMARTLY', 'special characters açb↓c', 0, 0xbe83b140],
  ['ABSMARTLY', 'special characters açb↓c', 0xdeadbeef, 0xf7fdd8a2],
  ['ABSMARTLY', 'special characters açb↓c', 1, 0x293327b5],
  ['ABSMARTLY', 'The quick brown fox jumps over the lazy dog', 0xdeadbeef, 0x3a7b3f4d],
];

/** Strings mixing ASCII, 2- and 3-byte characters, surrogate pairs and lone surrogates. */
function randomStrings(count: number, maxLength: number): string[] {
  const random = prng(0x5eed);
  const codeUnit = (): string => {
    const kind = random();
    if (kind < 0.4) return String.fromCharCode(32 + Math.floor(random() * 95)); // ASCII
    if (kind < 0.55) return String.fromCharCode(0x80 + Math.floor(random() * 0x780)); // 2 bytes
    if (kind < 0.7) return String.fromCharCode(0x800 + Math.floor(random() * (0xd800 - 0x800))); // 3 bytes
    if (kind < 0.75) return String.fromCharCode(0xe000 + Math.floor(random() * 0x2000)); // 3 bytes above the surrogates
    if (kind < 0.95) return String.fromCodePoint(0x10000 + Math.floor(random() * 0x100000)); // 4 bytes
    return String.fromCharCode(0xd800 + Math.floor(random() * 0x800)); // a lone surrogate
  };
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(random() * (maxLength + 1));
    while (text.length < length) text += codeUnit();
    return text;
  });
}

describe('murmur3_x86_32', () => {
  it.each(BOYD_BYTES)('hashes the bytes %j with seed %i to the published value', (bytes, seed, hash) => {
    expect(murmur3_x86_32(new Uint8Array(bytes), seed)).toBe(hash);
  });

  it.each(PUBLISHED_STRINGS)('matches %s for %j with seed %i', (_source, input, seed, hash) => {
    expect(murmur3_x86_32(input, seed)).toBe(hash);
  });

  it('hashes "" with seed 0 to 0, "hello" to 0x248bfa47 and the quick brown fox to 0x2e4ff723 by default', () => {
    expect([murmur3_x86_32(''), murmur3_x86_32('hello'), murmur3_x86_32('The quick brown fox jumps over the lazy dog')]).toEqual([
      0, 0x248bfa47, 0x2e4ff723,
    ]);
  });

  it('returns an unsigned 32-bit integer', () => {
    // 0xd58063c1 has the top bit set: a signed result would be negative.
    const hash = murmur3_x86_32('ππππππππ', 0x9747b28c);
    expect(hash).toBe(0xd58063c1);
    expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
  });

  it('takes the seed modulo 2^32, so -1 is the seed 0xffffffff', () => {
    expect(murmur3_x86_32('', -1)).toBe(0x81f16f39);
  });

  it('hashes a string as its UTF-8 bytes', () => {
    const text = 'héllo wörld ↓ 🌵 日本';
    expect(murmur3_x86_32(text, 7)).toBe(murmur3_x86_32(new TextEncoder().encode(text), 7));
  });

  it('hashes a lone surrogate as U+FFFD, like TextEncoder and Buffer', () => {
    for (const text of ['a\ud800b', '\udc00', 'x\ud83d', '\ud83d\ud83d\ude00']) {
      expect(murmur3_x86_32(text)).toBe(murmur3_x86_32(new TextEncoder().encode(text)));
    }
    expect(murmur3_x86_32('\ud800')).toBe(murmur3_x86_32('\ufffd'));
  });

  it('gives the same hash for a short string after hashing a long one (the scratch buffer leaks nothing)', () => {
    murmur3_x86_32('ü'.repeat(5000));
    murmur3_x86_32('z'.repeat(300));
    expect(murmur3_x86_32('ab', 0x9747b28c)).toBe(0x74875592);
    expect(murmur3_x86_32('aaa', 0x9747b28c)).toBe(0x283e0130);
  });

  it('agrees with a naive BigInt implementation over 3,000 random UTF-8 strings, short and long', () => {
    const strings = [...randomStrings(2500, 40), ...randomStrings(500, 1200)];
    const seeds = [0, 1, 0x9747b28c, 0xffffffff];
    const mismatches = strings.flatMap((text, i) => {
      const seed = seeds[i % seeds.length]!;
      return murmur3_x86_32(text, seed) === naiveMurmur3(text, seed) ? [] : [text];
    });
    expect(mismatches).toEqual([]);
  });

  it('has a naive reference that itself reproduces the published values', () => {
    for (const [bytes, seed, hash] of BOYD_BYTES) expect(naiveMurmur3(new Uint8Array(bytes), seed)).toBe(hash);
    for (const [, input, seed, hash] of PUBLISHED_STRINGS) expect(naiveMurmur3(input, seed)).toBe(hash);
  });
});
