import type { Purpose } from './consent.js';

/** Global Privacy Control: the visitor asked not to have data sold or shared. */
export function gpcEnabled(): boolean {
  return (globalThis.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined)?.globalPrivacyControl === true;
}

/**
 * IAB TCF v2.2 purposes each Attune purpose needs (all must be consented):
 * personalization — 1 store/access information, 3 create personalised content profiles,
 * 4 use profiles to select personalised content; analytics — 1, 7 measure advertising
 * performance, 8 measure content performance, 9 understand audiences. Configurable.
 */
export const DEFAULT_TCF_PURPOSES: Readonly<Record<string, readonly number[]>> = {
  personalization: [1, 3, 4],
  analytics: [1, 7, 8, 9],
};

interface TcData {
  gdprApplies?: boolean;
  eventStatus?: string;
  listenerId?: number;
  purpose?: { consents?: Record<string, boolean> };
}

type TcfApi = (command: string, version: number, callback: (data: TcData, success: boolean) => void, parameter?: unknown) => void;

/**
 * Listens to the page's CMP through `__tcfapi('addEventListener', 2, ...)` and reports which
 * Attune purposes the TC data grants, whenever the visitor decides (tcloaded / useractioncomplete).
 * When GDPR does not apply the CMP gives no purposes, and nothing is reported: the site's own
 * grant/deny calls decide. Returns a function that removes the listener.
 */
export function listenToTcf(
  mapping: Readonly<Record<string, readonly number[]>>,
  onDecision: (granted: Purpose[], denied: Purpose[]) => void,
): () => void {
  const api = (globalThis as { __tcfapi?: TcfApi }).__tcfapi;
  if (typeof api !== 'function') return () => {};
  let listenerId: number | undefined;
  api('addEventListener', 2, (data, success) => {
    if (!success || !data) return;
    listenerId = data.listenerId;
    if (data.gdprApplies === false) return;
    if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return;
    const consents = data.purpose?.consents ?? {};
    const granted: Purpose[] = [];
    const denied: Purpose[] = [];
    for (const purpose of Object.keys(mapping)) {
      (mapping[purpose]!.every((id) => consents[id] === true) ? granted : denied).push(purpose);
    }
    onDecision(granted, denied);
  });
  return () => {
    if (listenerId !== undefined) api('removeEventListener', 2, () => {}, listenerId);
  };
}
