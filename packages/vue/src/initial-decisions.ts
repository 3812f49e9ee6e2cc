import type { Decision } from '@attune/core';

/**
 * What the server rendered for each slot: its final decision, or `'pending'` when the decision
 * depends on the device (the slot is rendered hidden and the browser decides it).
 */
export type InitialDecisions = Readonly<Record<string, Decision | 'pending'>>;

/** The server's decision for `slot` (own keys only: the record comes from the page). */
export const initialDecision = (decisions: InitialDecisions | undefined, slot: string): Decision | 'pending' | undefined =>
  decisions && Object.hasOwn(decisions, slot) ? decisions[slot] : undefined;
