import type { AttuneEvent } from '../events/event.js';
import type { StoredProfile } from '../profile/profile-state.js';
import type { AttuneDatabase, QueuedEvent } from './database.js';
import type { QueueCaps } from './event-queue.js';
import { writeProfile } from './profile-records.js';
import { appendChunk } from './stored-queue.js';

/**
 * Collects queue appends and profile changes made in one synchronous burst and writes them in a
 * single IndexedDB transaction on the next microtask, keeping IndexedDB off the track() hot path.
 * The events go in as queue chunks (trimmed to the caps, oldest first; `onDropped` hears how many
 * were dropped, and the oldest of them); the profile is written as it is in memory: the aggregates of the event names
 * that changed, and the rest of it as one record. Bursts arriving while a write runs coalesce.
 * A write waits for the database `getDatabase` gives (while it opens again, the next one); events
 * that could not be written, or found no database, go to `onError` (`error` undefined then).
 */
export function createWriteBatch(
  getDatabase: () => Promise<AttuneDatabase | undefined> | undefined,
  getProfile: () => Readonly<StoredProfile>,
  caps: QueueCaps,
  onError: (error: unknown, unwritten: QueuedEvent[]) => void,
  onDropped: (count: number, oldest: AttuneEvent) => void,
) {
  let events: QueuedEvent[] = [];
  /** The events of the write running now. */
  let writingEvents: QueuedEvent[] = [];
  let names = new Set<string>();
  let profileChanged = false;
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();
  /** Counts discards: a failed write hands back its events only if none came since. */
  let discards = 0;

  function write(): Promise<void> {
    const pendingEvents = events;
    const pendingNames = names;
    const pendingProfile = profileChanged;
    const started = discards;
    writingEvents = pendingEvents;
    events = [];
    names = new Set();
    profileChanged = false;
    return writeNow(pendingEvents, pendingNames, pendingProfile)
      .catch((error: unknown) => onError(error, started === discards ? pendingEvents : []))
      .finally(() => (writingEvents = []));
  }

  async function writeNow(pendingEvents: QueuedEvent[], pendingNames: Set<string>, pendingProfile: boolean): Promise<void> {
    const db = await getDatabase();
    if (!db) return pendingEvents.length > 0 ? onError(undefined, pendingEvents) : undefined;
    if (pendingEvents.length === 0 && !pendingProfile) return;
    const tx = db.transaction(['queue', 'aggregates', 'profile', 'meta'], 'readwrite');
    if (pendingProfile) writeProfile(tx, getProfile(), pendingNames);
    const appending = pendingEvents.length > 0 ? appendChunk(tx.objectStore('queue'), tx.objectStore('meta'), pendingEvents, caps) : undefined;
    // Awaited together: a failure of either must not leave the other's rejection unhandled. What
    // aborted the transaction (the quota, as it commits) says more than a request it cancelled.
    const [appended] = await Promise.all([appending, tx.done]).catch((error: unknown) => {
      throw tx.error ?? error;
    });
    if (appended?.oldest) onDropped(appended.dropped, appended.oldest);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      writing = writing.then(write);
    });
  }

  return {
    append(event: AttuneEvent, bytes: number): void {
      events.push({ id: event.id, bytes, event });
      schedule();
    },
    /** The profile changed (an event of `name`, if given): write it with the next batch. */
    profileChanged(name?: string): void {
      if (name !== undefined) names.add(name);
      profileChanged = true;
      schedule();
    },
    /** The events handed over whose write has not committed (a page closed now would lose them). */
    unwritten: (): AttuneEvent[] => [...writingEvents, ...events].map((record) => record.event),
    /** Runs `task` after the writes handed over so far (identity changes replace the whole profile). */
    after(task: () => Promise<void>): Promise<void> {
      const run = writing.then(task);
      writing = run.catch(() => undefined);
      return run;
    },
    /** Resolves when everything handed over so far is on disk (or failed and was reported). */
    settled(): Promise<void> {
      return new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => writing);
    },
    /** Forgets the events not written yet (analytics consent withdrawn); profile changes still write. */
    discard(): void {
      events = [];
      discards++;
    },
  };
}

export type WriteBatch = ReturnType<typeof createWriteBatch>;
