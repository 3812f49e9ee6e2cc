/**
 * What happened to one candidate experience on a decision pass. Losing outcomes are ordered by
 * how far the candidate got, so the highest one is the most specific reason to report when
 * nothing was served.
 */
export const SKIPPED = 0;
export const UNSCHEDULED = 1;
export const NOT_IN_AUDIENCE = 2;
export const CAPPED = 3;
export const GROUP_TAKEN = 4;
export const NOT_IN_TRAFFIC = 5;
export const ERROR = 6;
/** From here on the candidate decides its slot. */
export const HELD_OUT = 7;
export const WON = 8;
export const FORCED = 9;
/** Not an outcome: what a slot reports without personalization consent. */
export const NO_CONSENT = 10;
