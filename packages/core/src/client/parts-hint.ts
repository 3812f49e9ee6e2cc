import type { CompiledBundle } from '../decide/types.js';
import type { AttuneEnvironment } from '../environment.js';
import { needsExperiments, needsModels, needsOperators } from './lazy-parts.js';

const KEY = 'attune.parts.v1';
/** Bundle URLs remembered at most (a site with a few bundles, one per kind of page). */
const MAX_URLS = 5;

/*
 * The models, operators and experiments parts (load-parts.ts) must be there before a bundle
 * needing them compiles, so they sit on the path to the first decision. Fetched only once the
 * cached bundle had been read, they made a returning visitor's first decision wait for IndexedDB,
 * then for the part. The URLs of the bundles that needed them are remembered (an entry is the URL
 * for the models part, the part's name, a space and the URL for the others), so the next page
 * with one of them loads it while IndexedDB is read (and a page whose bundle needs none never
 * loads them). Not personal data, but kept like everything else: only after a grant, and erased
 * with the rest.
 */

/** Each hinted part: what its entries start with, and whether a bundle needs it. */
const HINTED = { models: ['', needsModels], operators: ['operators ', needsOperators], experiments: ['experiments ', needsExperiments] } as const;
type HintedPart = keyof typeof HINTED;

/** The hint entries of `url`, one per part (needed or not). */
const entriesOf = (url: string): string[] => Object.values(HINTED).map(([prefix]) => prefix + url);

/** The parts a bundle needs before it compiles, as hint entries for its URL. */
const entriesFor = (bundle: unknown, url: string): string[] => Object.values(HINTED).flatMap(([prefix, needs]) => (needs(bundle) ? [prefix + url] : []));

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
    const ours = url === undefined ? [] : entriesOf(url);
    const kept = url === undefined ? [] : read(storage).filter((known) => !ours.includes(known));
    kept.push(...entries);
    if (kept.length) storage?.setItem(KEY, JSON.stringify(kept.slice(-ours.length * MAX_URLS)));
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
  let hinted = readable ? JSON.stringify(known.filter((entry) => entriesOf(url).includes(entry))) : undefined;
  let seen: CompiledBundle | undefined;
  return {
    /** Whether to load `part` now, beside IndexedDB's read. */
    has: (part: HintedPart): boolean => readable && known.includes(HINTED[part][0] + url),
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
