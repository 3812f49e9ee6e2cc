import type { AttuneEvent } from '../events/event.js';

/** A queued event as delivery reads it: its id and its JSON text (what the collector receives). */
export interface PeekedEvent {
  id: string;
  json: string;
}

/** What delivery needs of the outgoing queue, whether it lives in IndexedDB or in memory. */
export interface EventQueue {
  /** Up to `limit` queued events, oldest first. */
  peek(limit: number): Promise<PeekedEvent[]>;
  /**
   * Removes delivered (or refused) events; ids no longer queued are ignored. Returns the `next`
   * oldest events left (none by default), read with the removal.
   */
  remove(ids: readonly string[], next?: number): Promise<PeekedEvent[]>;
  /** Empties the queue (analytics consent withdrawn). */
  clear(): Promise<void>;
}

/** Queue limits: a blocked collector must never exhaust the host's storage. */
export interface QueueCaps {
  maxEvents: number;
  maxBytes: number;
}

/**
 * How many of the oldest `available` events (sizes read through `sizeAt`, oldest first) to drop
 * so that `count` events of `bytes` in total fit the caps.
 */
export function overflow(sizeAt: (index: number) => number, available: number, count: number, bytes: number, caps: QueueCaps): number {
  let dropped = 0;
  while (dropped < available && (count - dropped > caps.maxEvents || bytes > caps.maxBytes)) bytes -= sizeAt(dropped++);
  return dropped;
}
