import type { BuiltInPurpose, ConsentState } from './consent.js';

/** Whether `purpose` has been withdrawn since the mark was taken (or was not granted then). */
export type WithdrawnSince = (purpose: BuiltInPurpose) => boolean;

/*
 * A withdrawal is final for everything collected before it, even when consent is granted again
 * at once (`withdraw(); grant();`). Work that started before it (an event waiting for storage to
 * open, a storage task, a flush) takes a mark and asks it before touching anything: withdrawals
 * are counted per purpose. Given the consent of the time, the mark also refuses the purposes not
 * granted then: what was collected without a purpose is not used for it when granted later.
 * Erasures run one after another, and storage opens only after the ones already started, so a
 * new grant never reopens the database that is being deleted.
 */
export function createWithdrawals() {
  const counts: Record<BuiltInPurpose, number> = { analytics: 0, personalization: 0 };
  let erasing: Promise<void> = Promise.resolve();
  /** Erasures under way, and tasks waiting for them. */
  let waiting = 0;
  /** Runs `task` after the erasures started before it (a failed one does not stop the next). */
  const erase = (task: () => Promise<void>): Promise<void> => {
    waiting++;
    return (erasing = erasing
      .then(task)
      .catch(() => undefined)
      .then(() => void waiting--));
  };
  return {
    count(purposes: readonly BuiltInPurpose[]): void {
      for (const purpose of purposes) counts[purpose]++;
    },
    mark(then?: ConsentState): WithdrawnSince {
      const at = { ...counts };
      return (purpose) => (then && then[purpose] !== 'granted') || counts[purpose] !== at[purpose];
    },
    erase,
    /** Resolves once the erasures started so far are done. */
    erased: (): Promise<void> => erasing,
    /** Runs `task` now, or after the erasures under way (and the tasks already waiting for them). */
    afterErasures(task: () => void): void {
      if (waiting > 0) void erase(async () => task());
      else task();
    },
  };
}
