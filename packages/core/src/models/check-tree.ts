import type { BundleTree } from '../bundle/schema.js';
import type { Report } from '../shape-check.js';

/** The node arrays of a tree, named in messages. */
const ARRAYS = ['feature', 'value', 'left', 'right', 'defaultLeft'] as const;

const isIndex = (value: number, size: number): boolean => Number.isInteger(value) && value >= 0 && value < size;

/** Thresholds, leaves and the base margin are single-precision numbers, as XGBoost's: larger ones would become Infinity. */
export function checkSingle(value: number, what: string, report: Report): void {
  if (!Number.isFinite(Math.fround(value))) report(`${what} ${value} is beyond single precision (±3.4e38)`);
}

/**
 * What a tree's schema cannot say: one entry per node in every array, leaves marked on both sides,
 * children and features that exist, and a tree shape (every node reached at most once from the
 * root: no cycle, no shared child). Reports each problem as `where: node i: ...`; returns the
 * number of nodes.
 */
export function checkTree(tree: BundleTree, features: number, where: string, report: Report): number {
  const size = tree.left.length;
  const lengths = ARRAYS.map((key) => tree[key].length);
  if (lengths.some((length) => length !== size)) {
    report(`${where}: ${ARRAYS.join(', ')} must have one entry per node (lengths ${lengths.join(', ')})`);
    return size;
  }
  if (size === 0) report(`${where}: has no nodes; give at least a leaf`);
  let linked = true;
  for (let i = 0; i < size; i++) {
    const at = `${where}: node ${i}`;
    const left = tree.left[i]!;
    const right = tree.right[i]!;
    checkSingle(tree.value[i]!, `${at}: value`, report);
    if ((left === -1) !== (right === -1)) {
      const [leaf, other] = left === -1 ? ['left', 'right'] : ['right', 'left'];
      report(`${at}: ${leaf} is -1 (a leaf) but ${other} is ${left === -1 ? right : left}; give -1 for both, or two children`);
      linked = false;
      continue;
    }
    if (left === -1) continue;
    for (const [side, child] of [['left', left], ['right', right]] as const) {
      if (isIndex(child, size)) continue;
      report(`${at}: ${side} ${child} is not a node of this tree (0 to ${size - 1}, or -1 for a leaf)`);
      linked = false;
    }
    if (!isIndex(tree.feature[i]!, features)) report(`${at}: feature ${tree.feature[i]} is not one of the model's ${features} features (0 to ${features - 1})`);
    if (tree.defaultLeft[i] !== 0 && tree.defaultLeft[i] !== 1) report(`${at}: defaultLeft ${tree.defaultLeft[i]} must be 1 (a missing value goes left) or 0 (right)`);
  }
  if (linked && size > 0) checkShape(tree, where, report);
  return size;
}

/** A walk from the root: a node reached twice closes a cycle or has two parents. */
function checkShape(tree: BundleTree, where: string, report: Report): void {
  const seen = new Uint8Array(tree.left.length);
  const todo = [0];
  while (todo.length > 0) {
    const i = todo.pop()!;
    if (seen[i]) {
      report(`${where}: node ${i} is reached twice from the root (a cycle, or a node with two parents); each node but the root has one parent`);
      return;
    }
    seen[i] = 1;
    if (tree.left[i] !== -1) todo.push(tree.left[i]!, tree.right[i]!);
  }
}
