import type { EventQueue, PeekedEvent } from '../storage/event-queue.js';
import type { SendOutcome } from './retry-policy.js';

export type SendBatch = (events: PeekedEvent[]) => Promise<SendOutcome>;

/** Thrown when the collector asked to retry later (`slow`: auth or routing failure); the events stay queued. */
export class RetryLater extends Error {
  readonly afterMs: number | undefined;
  readonly slow: boolean;
  constructor(reason: string, afterMs?: number, slow = false) {
    super(reason);
    this.name = 'RetryLater';
    this.afterMs = afterMs;
    this.slow = slow;
  }
}

export interface FlushResult {
  sent: number;
  /** Events the collector refused for good (poison, see retry-policy.ts), dropped from the queue. */
  poisoned: number;
}

/**
 * Sends queued events oldest-first in batches. An event leaves the queue only after the collector
 * acknowledged it (at-least-once delivery; collectors drop duplicates by id). A refused batch is
 * re-sent one event at a time so that only the events the collector really refuses are dropped.
 */
export async function flushQueue(
  queue: EventQueue,
  send: SendBatch,
  batchSize: number,
  onSettled: (ids: string[]) => void = () => {},
): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, poisoned: 0 };
  let events = await queue.peek(batchSize);
  for (;;) {
    if (events.length === 0) return result;
    const outcome = await send(events);
    if (outcome.kind === 'retry') throw new RetryLater(outcome.reason, outcome.afterMs, outcome.slow);
    if (outcome.kind === 'ok') result.sent += events.length;
    else if (events.length === 1) result.poisoned++;
    else {
      for (const event of events) {
        const single = await send([event]);
        if (single.kind === 'retry') throw new RetryLater(single.reason, single.afterMs, single.slow);
        if (single.kind === 'ok') result.sent++;
        else result.poisoned++;
        await queue.remove([event.id]);
        onSettled([event.id]);
      }
      events = await queue.peek(batchSize);
      continue;
    }
    const ids = events.map((event) => event.id);
    // A full batch: the next one is read with the acknowledgement (one IndexedDB transaction).
    const full = events.length >= batchSize;
    events = await queue.remove(ids, full ? batchSize : 0);
    onSettled(ids);
    if (!full) return result;
  }
}
