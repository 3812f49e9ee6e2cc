/** Uniform numbers in [0, 1), from a seed. */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): a small, fast 32-bit generator, good enough for
 * sampling (it passes the gjrand and PractRand tests it was designed for). The same seed gives
 * the same numbers on every engine: only 32-bit integer arithmetic.
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
