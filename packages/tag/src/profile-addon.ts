/**
 * attune-profile.min.js: how events update the profile (counts, visits, purchases, affinities,
 * item lists, recent events) and how two profiles merge on sign-in. Loaded by the tag as storage
 * opens after a grant, beside IndexedDB's open (see load-parts.ts). Handed over through a global.
 */
import { profileUpdates } from '@attune/core';

(window as Window & { __attuneProfile?: typeof profileUpdates }).__attuneProfile = profileUpdates;
