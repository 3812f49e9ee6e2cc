/*
 * Caps on a recommender, so a bundle or a catalog file cannot make the device allocate or rank
 * without bound (documented in docs/models.md "Recommendations"). Ranking 10,000 items takes well under
 * a millisecond (bench/recommend.bench.mjs).
 */

/** Items of one catalog. */
export const MAX_ITEMS = 20_000;
/** Neighbors of one item. */
export const MAX_NEIGHBORS = 100;
/** Tags of one item. */
export const MAX_TAGS = 20;
/** Content fields of one item, and the characters of each. */
export const MAX_CONTENT_FIELDS = 20;
export const MAX_CONTENT_LENGTH = 2_000;
/** Recent views that seed the neighbors signal (the profile keeps 50). */
export const MAX_RECENT_VIEWS = 50;
/** Items in one list. */
export const MAX_LIMIT = 100;
/** Bytes of a catalog file. */
export const MAX_CATALOG_BYTES = 8 * 1024 * 1024;
/** Problems listed for a catalog's items before the rest are counted. */
export const MAX_ITEM_PROBLEMS = 20;
