import type { BundleCatalogItem } from '../../bundle/schema.js';
import { ITEM } from '../../bundle/device-check.js';
import { finish, runInSlices } from '../../bundle/run-in-slices.js';
import { AttuneError, errorMessage } from '../../errors.js';
import { any, array, object, oneOf } from '../../shape-check.js';
import { catalogSteps, ITEM_STEP, SHA256_HEX } from './check-recommender.js';
import { MAX_CATALOG_BYTES } from './limits.js';

/** What a recommender's `catalog.url` holds: `{ "schema": "attune.catalog/1", "items": [...] }`. */
export const CATALOG_SCHEMA = 'attune.catalog/1';

// The items are checked one by one after it, in steps.
const FILE = object({ schema: oneOf(CATALOG_SCHEMA), items: array(any) });

const invalid = (message: string, cause?: unknown): AttuneError => new AttuneError('recommender-invalid', `The catalog file was refused: ${message}`, cause);

/**
 * A parsed catalog file's items, checked as a bundle's inline items are (each item's shape, then
 * catalogSteps), in steps of ITEM_STEP items; throws AttuneError `recommender-invalid` listing
 * every problem. Returns the items as the check copies them (known keys only).
 */
function* catalogFileSteps(value: unknown): Generator<void, BundleCatalogItem[]> {
  const problems: string[] = [];
  const report = (problem: string): void => void problems.push(problem);
  const { items } = FILE(value, '', report) as { items?: unknown[] };
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length; i++) {
      items[i] = ITEM(items[i], `items[${i}]`, report);
      if (i % ITEM_STEP === ITEM_STEP - 1) yield;
    }
  }
  if (problems.length === 0) yield* catalogSteps(items as BundleCatalogItem[], report);
  if (problems.length > 0) throw invalid(`Fix: ${problems.join('; ')}`);
  return items as BundleCatalogItem[];
}

/**
 * A parsed catalog file's items, checked (see catalogFileSteps) at once: for build steps that
 * write a catalog file (check it before hashing it). verifyCatalog checks fetched bytes in slices.
 */
export const checkCatalog = (value: unknown): BundleCatalogItem[] => finish(catalogFileSteps(value));

const hex = (digest: ArrayBuffer): string => Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The items of a fetched catalog file, once its bytes are at most MAX_CATALOG_BYTES, their SHA-256
 * (WebCrypto) is `sha256` (the recommender's `catalog.sha256`), and they are UTF-8 JSON of the
 * catalog format (checkCatalog), checked in slices of about 10 ms so the page stays responsive.
 * Rejects with AttuneError `recommender-invalid` saying which.
 */
export async function verifyCatalog(bytes: Uint8Array, sha256: string): Promise<BundleCatalogItem[]> {
  if (!SHA256_HEX.test(sha256)) throw invalid(`the expected SHA-256 ${JSON.stringify(sha256)} is not 64 lowercase hex digits.`);
  if (bytes.length > MAX_CATALOG_BYTES) throw invalid(`it is ${bytes.length} bytes, over the cap of ${MAX_CATALOG_BYTES}: split the catalog or trim its content.`);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw invalid('checking its SHA-256 needs WebCrypto: serve the page over HTTPS (or localhost).');
  const actual = hex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  if (actual !== sha256) throw invalid(`its SHA-256 is ${actual}, the bundle expects ${sha256}: publish the catalog file and the bundle that names its hash together.`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw invalid(`it is not UTF-8 JSON (${errorMessage(cause)}).`, cause);
  }
  return runInSlices(catalogFileSteps(value), () => performance.now());
}
