import type { AttuneEnvironment } from '../environment.js';

/**
 * `analytics`: events leave the device. `personalization`: the local profile is kept. Sites may
 * add purposes of their own (`purposes` option): Attune keeps, stores and reports their state
 * (and maps them from TCF if asked), and the site gates its own features on them.
 */
export type BuiltInPurpose = 'analytics' | 'personalization';
export type Purpose = BuiltInPurpose | (string & {});
export const ALL_PURPOSES: readonly BuiltInPurpose[] = ['analytics', 'personalization'];

export type ConsentStatus = 'unknown' | 'granted' | 'denied';
export type ConsentState = Record<BuiltInPurpose, ConsentStatus> & Record<string, ConsentStatus>;

const STORAGE_KEY = 'attune.consent.v1';
/** Site-defined purpose names: short, lower-case identifiers. */
export const PURPOSE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export function unknownConsent(purposes: readonly string[]): ConsentState {
  const state: ConsentState = { analytics: 'unknown', personalization: 'unknown' };
  for (const purpose of purposes) state[purpose] = 'unknown';
  return state;
}

/** Whether Attune itself may keep anything: custom purposes alone never open storage. */
export function anyGranted(state: ConsentState): boolean {
  return state.analytics === 'granted' || state.personalization === 'granted';
}

export const grantedPurposes = (state: ConsentState): string[] => Object.keys(state).filter((purpose) => state[purpose] === 'granted');

/**
 * Reads the remembered grant. Only grants are ever written, so a visitor who never granted (or
 * who denied, which erases the record) leaves nothing in storage.
 */
export function readStoredConsent(storage: AttuneEnvironment['storage'], purposes: readonly string[]): ConsentState {
  const state = unknownConsent(purposes);
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return state;
    const granted: unknown = JSON.parse(raw);
    if (!Array.isArray(granted)) return state;
    for (const purpose of Object.keys(state)) if (granted.includes(purpose)) state[purpose] = 'granted';
  } catch {
    // Unreadable storage or a corrupt record: behave as if nothing was granted.
  }
  return state;
}

export function storeConsent(storage: AttuneEnvironment['storage'], state: ConsentState): void {
  const granted = grantedPurposes(state);
  try {
    if (granted.length > 0) storage?.setItem(STORAGE_KEY, JSON.stringify(granted));
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or blocked: consent still applies for this page view.
  }
}
