import type { CompiledExperience, DecideInput, DecideScratch } from './types.js';
import { impressionsPer, localDayKey, ownValue } from './decision-state.js';

/** Today's local calendar day, recomputed only when the clock leaves the day cached in the scratch. */
function today(scratch: DecideScratch, nowMs: number): number {
  if (nowMs < scratch.dayFromMs || nowMs >= scratch.dayToMs) {
    const date = new Date(nowMs);
    scratch.dayFromMs = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
    scratch.dayToMs = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
    scratch.dayKey = localDayKey(nowMs);
  }
  return scratch.dayKey;
}

/** Whether one of the candidate's frequency caps is reached by the impressions counted so far. */
export function isCapped(scratch: DecideScratch, candidate: CompiledExperience, input: DecideInput, nowMs: number): boolean {
  const counter = ownValue(input.state.caps, candidate.id);
  if (counter === undefined) return false;
  // An impression counted in this page view was allowed when the page view decided it: re-deciding keeps it.
  const own = input.pageView.shown.has(candidate.id) ? 1 : 0;
  for (const cap of candidate.caps) {
    if (impressionsPer(counter, cap.per, input.sessionId, cap.per === 'day' ? today(scratch, nowMs) : 0) - own >= cap.count) return true;
  }
  return false;
}
