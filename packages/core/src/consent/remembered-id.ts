import type { AttuneEnvironment } from '../environment.js';

const KEY = 'attune.anonymousId.v1';

/*
 * The anonymous id is kept in IndexedDB, but a visitor who accepts and leaves the page at once
 * can leave before IndexedDB has committed it: the next page would make a new id, so the same
 * visitor would count twice and could see another variant of a test. localStorage is written
 * synchronously, so the id is also kept there, next to the consent record and only after a
 * grant (withdrawal removes both).
 */

export function readRememberedId(storage: AttuneEnvironment['storage']): string | undefined {
  try {
    return storage?.getItem(KEY) || undefined;
  } catch {
    return undefined;
  }
}

/** Remembers `id`, or forgets the remembered one when `id` is empty. */
export function rememberId(storage: AttuneEnvironment['storage'], id: string | null | undefined): void {
  try {
    if (id) storage?.setItem(KEY, id);
    else storage?.removeItem(KEY);
  } catch {
    // Storage full or blocked: IndexedDB still keeps the id once it commits.
  }
}
