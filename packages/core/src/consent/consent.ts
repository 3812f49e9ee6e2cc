import type { AttuneEnvironment } from '../environment.js';

/** `analytics`: events leave the device. `personalization`: the local profile is kept. */
export type Purpose = 'analytics' | 'personalization';
export const ALL_PURPOSES: readonly Purpose[] = ['analytics', 'personalization'];

export type ConsentStatus = 'unknown' | 'granted' | 'denied';
export type ConsentState = Record<Purpose, ConsentStatus>;

const STORAGE_KEY = 'attune.consent.v1';

export function unknownConsent(): ConsentState {
  return { analytics: 'unknown', personalization: 'unknown' };
}

export function anyGranted(state: ConsentState): boolean {
  return state.analytics === 'granted' || state.personalization === 'granted';
}

/**
 * Reads the remembered grant. Only grants are ever written, so a visitor who never granted (or
 * who denied, which erases the record) leaves nothing in storage.
 */
export function readStoredConsent(storage: AttuneEnvironment['storage']): ConsentState {
  const state = unknownConsent();
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return state;
    const granted: unknown = JSON.parse(raw);
    if (!Array.isArray(granted)) return state;
    for (const purpose of ALL_PURPOSES) if (granted.includes(purpose)) state[purpose] = 'granted';
  } catch {
    // Unreadable storage or a corrupt record: behave as if nothing was granted.
  }
  return state;
}

export function storeConsent(storage: AttuneEnvironment['storage'], state: ConsentState): void {
  const granted = ALL_PURPOSES.filter((purpose) => state[purpose] === 'granted');
  try {
    if (granted.length > 0) storage?.setItem(STORAGE_KEY, JSON.stringify(granted));
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage full or blocked: consent still applies for this page view.
  }
}
