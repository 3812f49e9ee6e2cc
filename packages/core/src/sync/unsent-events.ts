import type { AttuneEnvironment } from '../environment.js';
import type { AttuneEvent } from '../events/event.js';

const KEY = 'attune.unsent.v1';
/** The newest kept: what a page tracks in the moments before it is left. */
const KEPT = 50;

/*
 * Events reach the IndexedDB queue a few milliseconds after track(), and a tab closed meanwhile
 * takes that write with it: the page-hide send is then their only copy, lost if the collector
 * fails it. So when the page is hidden, the events not written yet are also put in localStorage
 * (synchronously, added to what other tabs put there), and the next page queues them again. One
 * that did reach the collector is sent again under the same id, and the collector drops it.
 */
export function createUnsentEvents(storage: AttuneEnvironment['storage']) {
  const read = (): Partial<AttuneEvent>[] => {
    try {
      return [JSON.parse(storage?.getItem(KEY) ?? '[]')].flat();
    } catch {
      return [];
    }
  };
  const clear = (): void => {
    try {
      storage?.removeItem(KEY);
    } catch {
      // Blocked storage holds nothing to remove.
    }
  };
  return {
    /** Adds `events` (a repeat is queued once by the next page). */
    save(events: readonly AttuneEvent[]): void {
      try {
        if (events.length) storage?.setItem(KEY, JSON.stringify([...read(), ...events].slice(-KEPT)));
      } catch {
        // Storage full or blocked: the IndexedDB write may still commit.
      }
    },
    /** What the last pages saved, removed; entries that are not events (changed by hand) are left out. */
    take(): AttuneEvent[] {
      const saved = read();
      clear();
      return saved.filter((event) => typeof event?.id === 'string' && typeof event.name === 'string') as AttuneEvent[];
    },
    clear,
  };
}
