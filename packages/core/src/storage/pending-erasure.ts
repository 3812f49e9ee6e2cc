import type { AttuneEnvironment } from '../environment.js';

const KEY = 'attune.erasing.v1';

/*
 * A withdrawal deletes the database after the work under way (an opening connection, pending
 * writes): a page left before then would leave the profile behind, for the next grant to load.
 * So the withdrawal is marked in localStorage at once, the mark removed once the database is
 * gone, and a page that finds the mark deletes the database before anything opens it.
 */
export function erasurePending(storage: AttuneEnvironment['storage']): boolean {
  try {
    return !!storage?.getItem(KEY);
  } catch {
    return false;
  }
}

export function markErasure(storage: AttuneEnvironment['storage'], pending: boolean): void {
  try {
    if (pending) storage?.setItem(KEY, '1');
    else storage?.removeItem(KEY);
  } catch {
    // Blocked storage: the deletion still runs on this page.
  }
}
