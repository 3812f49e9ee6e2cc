import type { BundleCatalogItem, BundleRecommender } from '../../bundle/schema.js';
import { finish } from '../../bundle/run-in-slices.js';
import type { Report } from '../../shape-check.js';
import { MAX_CONTENT_FIELDS, MAX_CONTENT_LENGTH, MAX_ITEM_PROBLEMS, MAX_ITEMS, MAX_LIMIT, MAX_NEIGHBORS, MAX_RECENT_VIEWS, MAX_TAGS } from './limits.js';

/** A SHA-256 as `sha256sum` prints it. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

function checkItem(item: BundleCatalogItem, at: string, ids: ReadonlySet<string>, report: Report): void {
  const tags = item.tags?.length ?? 0;
  if (tags > MAX_TAGS) report(`${at}: ${tags} tags, over the limit of ${MAX_TAGS}`);
  const neighbors = Object.keys(item.neighbors ?? {});
  if (neighbors.length > MAX_NEIGHBORS) report(`${at}: ${neighbors.length} neighbors, over the limit of ${MAX_NEIGHBORS}; keep the most similar`);
  for (const id of neighbors.slice(0, MAX_NEIGHBORS)) {
    if (id === item.id) report(`${at}: lists itself as a neighbor`);
    else if (!ids.has(id)) report(`${at}: neighbor "${id}" is not in the catalog`);
  }
  const fields = Object.entries(item.content ?? {});
  if (fields.length > MAX_CONTENT_FIELDS) report(`${at}: ${fields.length} content fields, over the limit of ${MAX_CONTENT_FIELDS}`);
  for (const [name, text] of fields) if (text.length > MAX_CONTENT_LENGTH) report(`${at}: content.${name} has ${text.length} characters, over the limit of ${MAX_CONTENT_LENGTH}`);
}

/** Items of a catalog checked between two yields: a step of about a millisecond. */
export const ITEM_STEP = 100;

/**
 * What a catalog's items need beyond their schema: at most MAX_ITEMS, unique ids, neighbors that
 * are other items of the catalog, and the per-item caps. Reports the first MAX_ITEM_PROBLEMS
 * problems, then how many more there are (a broken export should not make a megabyte message).
 * In steps (each `yield`), so that a large catalog file is checked in slices (catalog-file.ts).
 */
export function* catalogSteps(items: readonly BundleCatalogItem[], report: Report): Generator<void, void> {
  if (items.length > MAX_ITEMS) return report(`items: ${items.length} items, over the limit of ${MAX_ITEMS}`);
  const problems: string[] = [];
  const ids = new Set<string>();
  items.forEach((item, i) => {
    if (ids.has(item.id)) problems.push(`items[${i}]: id "${item.id}" is used twice in the catalog`);
    ids.add(item.id);
  });
  for (let i = 0; i < items.length; i++) {
    checkItem(items[i]!, `items[${i}] ("${items[i]!.id}")`, ids, (problem) => void problems.push(problem));
    if (i % ITEM_STEP === ITEM_STEP - 1) yield;
  }
  problems.slice(0, MAX_ITEM_PROBLEMS).forEach(report);
  if (problems.length > MAX_ITEM_PROBLEMS) report(`items: ${problems.length - MAX_ITEM_PROBLEMS} more problems`);
}

function checkWhole(value: number | undefined, name: string, max: number, report: Report): void {
  if (value === undefined) return;
  if (!Number.isInteger(value)) report(`${name}: ${value} is not a whole number`);
  else if (value > max) report(`${name}: ${value} is over the limit of ${max}`);
}

/**
 * What a `recommenders[]` entry's schema cannot say, as `path: problem` lines (empty when it can
 * be used): a catalog inline or by reference (not both), a usable hash, a usable blend, whole
 * counts within their caps, and catalogProblems for inline items. The entry must have the schema's
 * shape; a catalog file's items are checked when it is fetched (verifyCatalog).
 */
export function recommenderProblems(entry: BundleRecommender): string[] {
  const problems: string[] = [];
  const report: Report = (problem) => void problems.push(problem);
  if ((entry.items === undefined) === (entry.catalog === undefined)) report('give items (the catalog) or catalog (its file), not both');
  if (entry.catalog && !SHA256_HEX.test(entry.catalog.sha256)) report('catalog.sha256: give the SHA-256 of the file as 64 lowercase hex digits (sha256sum catalog.json)');
  if (entry.items) finish(catalogSteps(entry.items, report));
  const blend = entry.blend;
  if (blend && !((blend.neighbors ?? 0) + (blend.category ?? 0) + (blend.tag ?? 0) + (blend.popularity ?? 0) > 0)) report('blend: the weights are all 0; give at least one above 0');
  checkWhole(entry.recentViews, 'recentViews', MAX_RECENT_VIEWS, report);
  checkWhole(entry.perCategory, 'perCategory', Infinity, report);
  checkWhole(entry.limit, 'limit', MAX_LIMIT, report);
  return problems;
}
