/**
 * Deliberately naive re-implementations of MurmurHash3_x86_32 and of the assignment formula,
 * written from the spec (SMHasher's MurmurHash3.cpp and docs/experiments.md), not from src/: BigInt
 * arithmetic instead of Math.imul, Node's own UTF-8 encoder (Buffer) instead of the hand-written
 * one, an explicit list of cumulative weights. The tests check src/ and the published JSON vectors
 * against these, so the vectors are not the implementation echoing itself.
 */
import { Buffer } from 'node:buffer';

const MASK = 0xffffffffn;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (32n - r))) & MASK;

function scramble(k: bigint): bigint {
  return mul(rotl(mul(k, 0xcc9e2d51n), 15n), 0x1b873593n);
}

/** MurmurHash3_x86_32 over the UTF-8 bytes of a string (or raw bytes), unsigned. */
export function naiveMurmur3(input: string | Uint8Array, seed = 0): number {
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let h = BigInt(seed >>> 0);
  const blocks = Math.floor(data.length / 4);
  for (let b = 0; b < blocks; b++) {
    let k = 0n;
    for (let j = 3; j >= 0; j--) k = (k << 8n) | BigInt(data[b * 4 + j]!); // little-endian
    h ^= scramble(k);
    h = rotl(h, 13n);
    h = (h * 5n + 0xe6546b64n) & MASK;
  }
  const tail = data.length % 4;
  if (tail > 0) {
    let k = 0n;
    for (let j = tail - 1; j >= 0; j--) k = (k << 8n) | BigInt(data[blocks * 4 + j]!);
    h ^= scramble(k);
  }
  h ^= BigInt(data.length);
  h ^= h >> 16n;
  h = mul(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return Number(h);
}

interface Weighted {
  id: string;
  weight?: number | undefined;
}

/** The first option whose cumulative normalized weight exceeds w; the last positive one if none does. */
function naivePick(options: readonly Weighted[], w: number): string {
  const weights = options.map((option) => option.weight ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) {
    running += weight;
    cumulative.push(running / total);
  }
  const index = options.findIndex((_, i) => weights[i]! > 0 && cumulative[i]! > w);
  if (index >= 0) return options[index]!.id;
  return options.filter((_, i) => weights[i]! > 0).at(-1)!.id;
}

type Gate = { status: 'holdout' | 'not-in-traffic'; u: number } | { status: 'in'; u: number; w: number };

function naiveGate(experiment: { id: string; traffic?: number | undefined; holdout?: number | undefined }, unitId: string): Gate {
  const u = naiveMurmur3(`${experiment.id}:${unitId}`) / 2 ** 32;
  const holdout = experiment.holdout ?? 0;
  const traffic = experiment.traffic ?? 1;
  if (u < holdout) return { status: 'holdout', u };
  const v = (u - holdout) / (1 - holdout);
  if (v >= traffic) return { status: 'not-in-traffic', u };
  return { status: 'in', u, w: v / traffic };
}

/** docs/experiments.md's formula for a valid experiment. */
export function naiveAssign(
  experiment: { id: string; traffic?: number | undefined; holdout?: number | undefined; variants: readonly Weighted[] },
  unitId: string,
): { status: string; u: number; variant?: string } {
  const gate = naiveGate(experiment, unitId);
  if (gate.status !== 'in') return gate;
  return { status: 'assigned', variant: naivePick(experiment.variants, gate.w), u: gate.u };
}

/** docs/experiments.md's multivariate formula for a valid experiment. */
export function naiveAssignFactors(
  experiment: { id: string; traffic?: number | undefined; holdout?: number | undefined; factors: readonly { id: string; levels: readonly Weighted[] }[] },
  unitId: string,
): { status: string; u: number; variant?: string; levels?: Record<string, string> } {
  const gate = naiveGate(experiment, unitId);
  if (gate.status !== 'in') return gate;
  const levels: Record<string, string> = {};
  for (const factor of experiment.factors) {
    levels[factor.id] = naivePick(factor.levels, naiveMurmur3(`${experiment.id}:${factor.id}:${unitId}`) / 2 ** 32);
  }
  const variant = experiment.factors.map((factor) => `${factor.id}=${levels[factor.id]}`).join('|');
  return { status: 'assigned', variant, levels, u: gate.u };
}
