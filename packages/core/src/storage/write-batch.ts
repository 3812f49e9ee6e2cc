import type { AttuneEvent } from '../events/event.js';
import type { StoredProfile } from '../profile/profile-state.js';
import type { AttuneDatabase, QueuedEvent } from './database.js';
import type { QueueCaps } from './event-queue.js';
import { writeProfile } from './profile-records.js';
import { appendChunk, CHUNK_EVENTS } from './stored-queue.js';

/**
 * How long a change waits for the next ones before it is written. Events a page makes one at a
 * time (a click, a view) then share a transaction instead of paying one each; a burst as big as a
 * chunk is written at once. A page being hidden writes at once (see `now`), and the events a
 * closing page could not write are kept by the leave path (see unsaved-events.ts, create-sync.ts).
 */
export const WRITE_DELAY_MS = 250;

/** Changes taken together into one transaction. */
interface Batch {
  events: QueuedEvent[];
  /** The event names whose aggregates changed. */
  names: Set<string>;
  /** Whether the profile changed. */
  profile: boolean;
}

/**
 * Collects queue appends and profile changes and writes them in a single IndexedDB transaction
 * `delayMs` after the first of them (a microtask after a burst as big as a chunk), keeping
 * IndexedDB off the track() hot path.
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
  delayMs = WRITE_DELAY_MS,
) {
  let events: QueuedEvent[] = [];
  /** The events of the write running now. */
  let writingEvents: QueuedEvent[] = [];
  let names = new Set<string>();
  let profileChanged = false;
  let scheduled = false;
  /** The delayed write's timer, while one waits. */
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  /** Counts discards: a failed write hands back its events only if none came since. */
  let discards = 0;

  /** Batches handed to the write chain whose write has not started yet, oldest first. */
  let waiting: Batch[] = [];

  function write(batch: Batch): Promise<void> {
    waiting = waiting.filter((other) => other !== batch);
    const started = discards;
    writingEvents = batch.events;
    return writeNow(batch.events, batch.names, batch.profile)
      .catch((error: unknown) => onError(error, started === discards ? batch.events : []))
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

  /** A microtask write is queued (a burst as big as a chunk, or no delay). */
  let soon = false;

  /** Starts the write of what is pending now (after the running one), instead of when its delay ends. */
  function now(): void {
    soon = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!scheduled) return;
    scheduled = false;
    // Taken now: what comes after this call (a task given to `after`, later events) is not in it.
    const batch: Batch = { events, names, profile: profileChanged };
    events = [];
    names = new Set();
    profileChanged = false;
    waiting.push(batch);
    writing = writing.then(() => write(batch));
  }

  function schedule(): void {
    if (soon) return;
    if (delayMs > 0 && events.length < CHUNK_EVENTS) {
      if (!scheduled) timer = setTimeout(now, delayMs);
      scheduled = true;
      return;
    }
    // A chunk's worth goes at the end of this burst: nothing to gain by waiting.
    scheduled = soon = true;
    queueMicrotask(now);
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
    unwritten: (): AttuneEvent[] => [...writingEvents, ...waiting.flatMap((batch) => batch.events), ...events].map((record) => record.event),
    /** Writes what is pending now (the page is being hidden: it may not get another chance). */
    now,
    /** Runs `task` after the writes handed over so far (identity changes replace the whole profile). */
    after(task: () => Promise<void>): Promise<void> {
      now();
      const run = writing.then(task);
      writing = run.catch(() => undefined);
      return run;
    },
    /** Resolves when everything handed over so far is on disk (or failed and was reported). */
    settled(): Promise<void> {
      now();
      return new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => writing);
    },
    /** Forgets the events not written yet (analytics consent withdrawn); profile changes still write. */
    discard(): void {
      events = [];
      for (const batch of waiting) batch.events = [];
      discards++;
    },
  };
}

export type WriteBatch = ReturnType<typeof createWriteBatch>;
