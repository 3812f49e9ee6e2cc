import type { ConsentState } from '../consent/consent.js';
import type { ProfileEventInput } from './event-input.js';

/** What tabs of the same site tell each other so their profiles (and decisions) agree. */
export type TabMessage =
  | { kind: 'events'; events: ProfileEventInput[] }
  /** Identity or traits changed and the whole profile was rewritten: read it again. */
  | { kind: 'profile' }
  | { kind: 'consent'; state: ConsentState };

/**
 * A BroadcastChannel between the tabs of one origin. Events are posted once per burst (a
 * microtask later), not once per track() call: a post costs a structured clone and an IPC.
 * Without BroadcastChannel each tab keeps its own view until its next page load.
 */
export function createTabSync(name: string, onMessage: (message: TabMessage) => void) {
  let channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  if (channel) channel.onmessage = (message: MessageEvent<TabMessage>) => onMessage(message.data);
  let outgoing: ProfileEventInput[] = [];
  // Once closed (client.destroy()) nothing is posted: a closed channel throws on postMessage,
  // and the burst of a track() just before destroy() is still to be posted a microtask later.
  const post = (message: TabMessage): void => channel?.postMessage(message);
  return {
    event(event: ProfileEventInput): void {
      if (!channel) return;
      if (outgoing.push(event) > 1) return;
      queueMicrotask(() => {
        const events = outgoing;
        outgoing = [];
        post({ kind: 'events', events });
      });
    },
    post,
    /** Stops hearing the other tabs; what is posted still goes out until close(). */
    mute(): void {
      if (channel) channel.onmessage = null;
    },
    /** Drops the events not posted yet (personalization withdrawn). */
    discard(): void {
      outgoing = [];
    },
    close(): void {
      channel?.close();
      channel = undefined;
      outgoing = [];
    },
  };
}
