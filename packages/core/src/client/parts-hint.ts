import type { CompiledBundle } from '../decide/types.js';
import type { AttuneEnvironment } from '../environment.js';
import { needsModels } from './lazy-parts.js';

const KEY = 'attune.parts.v1';
/** Bundle URLs remembered at most (a site with a few bundles, one per kind of page). */
const MAX_URLS = 5;

/*
 * The models part (load-parts.ts) must be there before a bundle with models[] or a bandit
 * compiles, so it sits on the path to the first decision. Fetched only once the cached bundle
 * had been read, it made a returning visitor's first decision wait for IndexedDB, then for the
 * part. The URLs of the bundles that needed it are remembered, so the next page with one of them
 * loads it while IndexedDB is read (and a page whose bundle has no models still never loads it).
 * Not personal data, but kept like everything else: only after a grant, and erased with the rest.
 */

function read(storage: AttuneEnvironment['storage']): string[] {
  try {
    const urls: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return Array.isArray(urls) ? urls.filter((url): url is string => typeof url === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether the bundle at `url` needed the models part when it last served on this device. */
export const modelsHinted = (storage: AttuneEnvironment['storage'], url: string): boolean => read(storage).includes(url);

/** Remembers whether the bundle at `url` needs the models part; `url` undefined forgets every bundle. */
export function hintModels(storage: AttuneEnvironment['storage'], url: string | undefined, needed: boolean): void {
  try {
    const urls = url === undefined ? [] : read(storage).filter((known) => known !== url);
    if (url !== undefined && needed) urls.push(url);
    if (urls.length) storage?.setItem(KEY, JSON.stringify(urls.slice(-MAX_URLS)));
    else storage?.removeItem(KEY);
  } catch {
    // Storage full or blocked: the next page loads the part after reading the bundle, as without a hint.
  }
}

/**
 * The hint of one client: whether its bundle (at `url`; none for an inline bundle, which asks for
 * the part at once anyway) needed the models part last time, kept up to date as bundles serve
 * and consent allows. Each serving bundle is looked at once, not on every change.
 */
export function modelsHint(storage: AttuneEnvironment['storage'], url: string | undefined, allowed: () => boolean) {
  let hinted = url !== undefined && allowed() ? modelsHinted(storage, url) : undefined;
  let seen: CompiledBundle | undefined;
  return {
    /** The part to load now, beside IndexedDB's read. */
    preload: hinted === true,
    /** The serving bundle: remembered once storage is allowed. */
    update(compiled: CompiledBundle | undefined): void {
      if (compiled === undefined || compiled === seen || url === undefined || !allowed()) return;
      seen = compiled;
      const needed = needsModels(compiled.bundle);
      if (needed !== hinted) hintModels(storage, url, (hinted = needed));
    },
    /** Erased with everything else (withdrawal); a later grant writes it again. */
    forget(): void {
      hintModels(storage, undefined, false);
      hinted = seen = undefined;
    },
  };
}
