import type { AttuneSnapshot } from './types.js';

/**
 * Whether a slot's decision may still change on this page view: personalization is granted but
 * the bundle or the stored profile is still loading. A renderer that wants no flicker keeps such a
 * slot pending (hidden, at most a short timeout) rather than showing its default first; without
 * personalization consent every decision is final at once (the default).
 */
export const decisionPending = (snapshot: Pick<AttuneSnapshot, 'ready' | 'consent'>): boolean =>
  !snapshot.ready && snapshot.consent.personalization === 'granted';
