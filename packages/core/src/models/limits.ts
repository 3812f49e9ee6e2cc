/*
 * Caps on a model's size, so a bundle cannot make the device allocate or walk without bound
 * (documented in docs/models.md "Models"). A 1,000-tree depth-6 ensemble fits; the bundle's own byte
 * limit (MAX_BUNDLE_BYTES, 2 MB) is usually reached first.
 */

/** Features of one model. */
export const MAX_FEATURES = 1_000;
/** Trees of one ensemble. */
export const MAX_TREES = 1_000;
/** Nodes of one ensemble, all trees together. */
export const MAX_NODES = 131_072;
