import type { Purpose } from './consent.js';
import { DEFAULT_TCF_PURPOSES } from './signals.js';

/*
 * The IAB TCF v2.2 listener: a part of its own (see client/load-parts.ts), loaded only on pages
 * with a CMP (`__tcfapi`), once the tag has started. The CMP answers addEventListener with the
 * current TC data as soon as it has it, so listening a little later loses no decision.
 */

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
 * grant/deny calls decide. `mapping`: purpose → TCF purpose ids (default `DEFAULT_TCF_PURPOSES`).
 * Returns a function that removes the listener.
 */
export function listenToTcf(
  mapping: Readonly<Record<string, readonly number[]>> = DEFAULT_TCF_PURPOSES,
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
