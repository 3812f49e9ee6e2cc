/**
 * attune-hash.min.js: hashing of identifiers (email, phone) before an identify event leaves the
 * device, loaded by the tag on the first identify() with one (see load-parts.ts). Handed to the
 * tag through a global.
 */
import { protectTraits } from '@attune/core';

(window as Window & { __attuneHash?: typeof protectTraits }).__attuneHash = protectTraits;
