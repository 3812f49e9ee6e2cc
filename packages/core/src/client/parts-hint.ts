import type { CompiledBundle } from '../decide/types.js';
import type { AttuneEnvironment } from '../environment.js';
import { needsModels, needsOperators } from './lazy-parts.js';

const KEY = 'attune.parts.v1';
/** Bundle URLs remembered at most (a site with a few bundles, one per kind of page). */
const MAX_URLS = 5;

/*
 * The models part and the operators part (load-parts.ts) must be there before a bundle needing
 * them compiles, so they sit on the path to the first decision. Fetched only once the cached
 * bundle had been read, they made a returning visitor's first decision wait for IndexedDB, then
 * for the part. The URLs of the bundles that needed them are remembered (an entry is the URL for
 * the models part, `operators ` and the URL for the operators part), so the next page with one of
 * them loads it while IndexedDB is read (and a page whose bundle needs neither never loads them).
 * Not personal data, but kept like everything else: only after a grant, and erased with the rest.
 */

/** The parts a bundle needs before it compiles, as hint entries for its URL. */
const entriesFor = (bundle: unknown, url: string): string[] => [
  ...(needsModels(bundle) ? [url] : []),
  ...(needsOperators(bundle) ? [`operators ${url}`] : []),
];

function read(storage: AttuneEnvironment['storage']): string[] {
  try {
    const urls: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return Array.isArray(urls) ? urls.filter((url): url is string => typeof url === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers what the bundle at `url` needs (its hint entries); `url` undefined forgets every bundle. */
function hintParts(storage: AttuneEnvironment['storage'], url: string | undefined, entries: string[]): void {
  try {
    const kept = url === undefined ? [] : read(storage).filter((known) => known !== url && known !== `operators ${url}`);
    kept.push(...entries);
    if (kept.length) storage?.setItem(KEY, JSON.stringify(kept.slice(-2 * MAX_URLS)));
    else storage?.removeItem(KEY);
  } catch {
    // Storage full or blocked: the next page loads the part after reading the bundle, as without a hint.
  }
}

/**
 * The hint of one client: which parts its bundle (at `url`; none for an inline bundle, which asks
 * for its parts at once anyway) needed last time, kept up to date as bundles serve and consent
 * allows. Each serving bundle is looked at once, not on every change.
 */
export function partsHint(storage: AttuneEnvironment['storage'], url: string | undefined, allowed: () => boolean) {
  const readable = url !== undefined && allowed();
  const known = readable ? read(storage) : [];
  /** This bundle's entries as stored (JSON, to compare), undefined when not read. */
  let hinted = readable ? JSON.stringify(known.filter((entry) => entry === url || entry === `operators ${url}`)) : undefined;
  let seen: CompiledBundle | undefined;
  return {
    /** The models part to load now, beside IndexedDB's read. */
    models: url !== undefined && known.includes(url),
    /** The operators part to load now, beside IndexedDB's read. */
    operators: known.includes(`operators ${url}`),
    /** The serving bundle: remembered once storage is allowed. */
    update(compiled: CompiledBundle | undefined): void {
      if (compiled === undefined || compiled === seen || url === undefined || !allowed()) return;
      seen = compiled;
      const entries = entriesFor(compiled.bundle, url);
      const now = JSON.stringify(entries);
      if (now === hinted) return;
      hintParts(storage, url, entries);
      hinted = now;
    },
    /** Erased with everything else (withdrawal); a later grant writes it again. */
    forget(): void {
      hintParts(storage, undefined, []);
      hinted = seen = undefined;
    },
  };
}
