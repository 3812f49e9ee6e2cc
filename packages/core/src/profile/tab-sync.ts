import type { ConsentState } from '../consent/consent.js';
import type { ProfileEventInput } from './event-input.js';

/** What tabs of the same site tell each other so their profiles (and decisions) agree. */
export type TabMessage =
  | { kind: 'events'; events: ProfileEventInput[] }
  /** Identity or traits changed and the whole profile was rewritten: read it again. */
  | { kind: 'profile' }
  | { kind: 'consent'; state: ConsentState };

/** How long events wait for the next ones before they are posted to the other tabs. */
const POST_DELAY_MS = 250;

/**
 * A BroadcastChannel between the tabs of one origin. Events are posted together, at most
 * POST_DELAY_MS after the first (or when the page is hidden, see `flush`), not once per track()
 * call: a post costs a structured clone and an IPC, and the other tabs only need to be current
 * by the time their visitor looks at them again.
 * Without BroadcastChannel each tab keeps its own view until its next page load.
 */
export function createTabSync(name: string, onMessage: (message: TabMessage) => void) {
  let channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  if (channel) channel.onmessage = (message: MessageEvent<TabMessage>) => onMessage(message.data);
  let outgoing: ProfileEventInput[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Once closed (client.destroy()) nothing is posted: a closed channel throws on postMessage,
  // and the burst of a track() just before destroy() is still to be posted a microtask later.
  const post = (message: TabMessage): void => channel?.postMessage(message);
  /** Posts the events waiting now. */
  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const events = outgoing;
    outgoing = [];
    if (events.length > 0) post({ kind: 'events', events });
  }
  return {
    event(event: ProfileEventInput): void {
      if (!channel) return;
      if (outgoing.push(event) === 1) timer = setTimeout(flush, POST_DELAY_MS);
    },
    flush,
    /** Posts `message` after the events waiting (the other tabs apply them in order). */
    post(message: TabMessage): void {
      flush();
      post(message);
    },
    /** Stops hearing the other tabs; what is posted still goes out until close(). */
    mute(): void {
      if (channel) channel.onmessage = null;
    },
    /** Drops the events not posted yet (personalization withdrawn). */
    discard(): void {
      outgoing = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    close(): void {
      channel?.close();
      channel = undefined;
      outgoing = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
