import type { AttuneEnvironment } from '../environment.js';
import type { ProfileEventInput } from './event-input.js';

const KEY = 'attune.unsaved.v1';
/** The last events kept: more than a burst of clicks before a page is left. */
const KEPT = 16;

/** The ids of a visitor (the profile's identity). */
type Visitor = Readonly<{ anonymousId: string | null; userId: string | null }>;

/*
 * The profile is written to IndexedDB a few milliseconds after each event, and the browser can
 * drop that write when the page is left at once (a click that navigates, a quick reload). So the
 * last profile events are also written to localStorage, synchronously, when the page is hidden
 * (a page being left is hidden first, whatever leaves it), with the visitor they belong to, and
 * applied again when the next page opens the profile: the profile ignores an event id it has
 * already applied, so those whose write did commit count once.
 *
 * `visitor` gives the visitor's ids (the profile's identity object, which changes only with
 * identity: its key is built once per change, not per event); `allowed` says whether the profile
 * may be kept.
 */
export function createUnsavedEvents(storage: AttuneEnvironment['storage'], visitor: () => Visitor, allowed: () => boolean) {
  let lastVisitor: Visitor | undefined;
  let lastKey = '';
  /** "anonymousId|userId": whose events they are. */
  const visitorKey = (): string => {
    const current = visitor();
    if (current !== lastVisitor) {
      lastVisitor = current;
      lastKey = `${current.anonymousId}|${current.userId}`;
    }
    return lastKey;
  };
  /** Whose events `kept` holds, and the last ones (between KEPT and 2 × KEPT: trimmed in steps, not per event). */
  let owner = '';
  let kept: ProfileEventInput[] = [];
  const onVisibility = (): void => {
    try {
      if (globalThis.document?.visibilityState === 'hidden' && allowed() && visitorKey() === owner) storage?.setItem(KEY, JSON.stringify([owner, ...kept.slice(-KEPT)]));
    } catch {
      // Storage full or blocked: the IndexedDB write may still have committed.
    }
  };
  globalThis.document?.addEventListener?.('visibilitychange', onVisibility);
  return {
    add(event: ProfileEventInput): void {
      // A new visitor (reset, sign-in) starts a new list.
      const key = visitorKey();
      if (key !== owner) {
        owner = key;
        kept = [];
      }
      if (kept.push(event) > 2 * KEPT) kept = kept.slice(KEPT);
    },
    /**
     * The events saved by the last page if they are this visitor's; removed either way. Entries
     * changed outside the SDK that are not events (no string id or name, no properties) are left out.
     */
    take(): ProfileEventInput[] {
      try {
        const [savedOwner, ...saved] = JSON.parse(storage?.getItem(KEY) ?? '[]') as Partial<ProfileEventInput>[];
        storage?.removeItem(KEY);
        return savedOwner === visitorKey()
          ? (saved.filter((event) => typeof event?.id === 'string' && typeof event.name === 'string' && event.properties instanceof Object) as ProfileEventInput[])
          : [];
      } catch {
        return [];
      }
    },
    /** Forgets the saved ones and those kept to save (consent withdrawn: `allowed` keeps new ones from being saved). */
    clear(): void {
      kept = [];
      try {
        storage?.removeItem(KEY);
      } catch {
        // Blocked storage holds nothing to remove.
      }
    },
    stop: () => globalThis.document?.removeEventListener?.('visibilitychange', onVisibility),
  };
}
