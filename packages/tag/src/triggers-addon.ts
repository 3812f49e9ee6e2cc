/**
 * attune-triggers.min.js: journey triggers, loaded by the tag only for a bundle with `triggers[]`
 * (see load-parts.ts), once it serves. Handed to the tag through a global.
 */
import { startTriggers } from '@attune/core';

(window as Window & { __attuneTriggers?: typeof startTriggers }).__attuneTriggers = startTriggers;
