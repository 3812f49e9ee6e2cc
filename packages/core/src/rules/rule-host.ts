import type { EventStats } from '../profile/profile.js';
import type { RecentEvent } from '../profile/recent-events.js';

/**
 * What Attune's personalization operators read besides the rule's data: the decision's clock and
 * the parts of the profile a snapshot does not carry (time-bucketed counts, the raw recent events).
 * The client implements it over the live profile; tests and Node callers can pass their own.
 */
export interface RuleHost {
  /** The decision's clock, epoch milliseconds. */
  now(): number;
  /** Events named `name` in the last `windowMs` before `now()`; the lifetime count without a window. */
  count(name: string, windowMs: number | undefined): number;
  /** Lifetime count and first/last time of an event name, or undefined when never seen. */
  stats(name: string): EventStats | undefined;
  /** The recent raw events (ring buffer), oldest first. */
  recent(): readonly RecentEvent[];
}
