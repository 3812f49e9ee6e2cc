import type { Decision } from '../decide/types.js';

/**
 * The default name of the first-party cookie that carries the visitor's anonymous id (see
 * `syncIdCookie`). It exists only while personalization is granted, so to a server its presence
 * means "consented" and its value is the unit experiments hash.
 */
export const ID_COOKIE = 'attune_id';

/** What the server decided for one slot (docs/ssr.md). */
export interface ServerSlot {
  readonly slot: string;
  /**
   * The decision depends on the device (its profile, caps, user id...): render the slot pending
   * (hidden, its default inside) and let the browser decide.
   */
  readonly pending: boolean;
  /** The final decision (JSON-safe), null when pending. */
  readonly decision: Decision | null;
  /** Why the slot is pending: what the device alone knows. */
  readonly needs?: string;
}

/** A request's decisions, passed from the server to the browser as they are (JSON-safe). */
export interface ServerDecisions {
  /** The request carried the id cookie: personalization was granted on that device. */
  readonly consented: boolean;
  /** Every slot of the bundle, in bundle order. */
  readonly slots: readonly ServerSlot[];
}
