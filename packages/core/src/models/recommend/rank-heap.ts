/**
 * A binary max-heap of item positions, in a list's order: score, highest first; ties by
 * popularity, then catalog order (so the order never depends on anything else). Built in O(n),
 * popped in O(log n): a top 10 of 10,000 items costs a heapify and a few pops, not a sort.
 */
export class RankHeap {
  private size = 0;

  constructor(
    private readonly heap: Int32Array,
    private readonly score: Float64Array,
    private readonly popularity: Float64Array,
  ) {}

  private before(i: number, j: number): boolean {
    const { score, popularity } = this;
    return score[i]! > score[j]! || (score[i] === score[j] && (popularity[i]! > popularity[j]! || (popularity[i] === popularity[j] && i < j)));
  }

  private down(at: number): void {
    const heap = this.heap;
    const item = heap[at]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.before(heap[child + 1]!, heap[child]!)) child++;
      if (!this.before(heap[child]!, item)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = item;
  }

  /** Makes a heap of the first `size` positions of the array. */
  build(size: number): void {
    this.size = size;
    for (let at = (size >> 1) - 1; at >= 0; at--) this.down(at);
  }

  /** The first item left in the order, removed; -1 when none is left. */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0]!;
    this.heap[0] = this.heap[--this.size]!;
    this.down(0);
    return top;
  }
}
