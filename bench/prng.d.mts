/** mulberry32: a tiny seeded PRNG, so generated workloads are identical on every run and machine. */
export function prng(seed: number): () => number;
