/** What the profile tests share: times, and a profile built by applying events in order. */
import { applyEvent, DEFAULT_PROFILE_RULES, emptyProfileData, type ProfileData, type ProfileEventInput, type ProfileRules } from '../../src/profile/profile-data.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Deliberately not on a minute, hour or day boundary. */
export const T0 = Date.UTC(2025, 4, 20, 9, 41, 17, 123);

/** A fresh profile with `events` applied in the order given. */
export function profileOf(events: readonly ProfileEventInput[], rules: ProfileRules = DEFAULT_PROFILE_RULES): ProfileData {
  const data = emptyProfileData();
  for (const event of events) applyEvent(data, event, rules);
  return data;
}
