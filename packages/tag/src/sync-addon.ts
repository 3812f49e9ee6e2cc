/**
 * attune-sync.min.js: delivery to the collector (batching, retries, the page-hide send, the JSON
 * format), loaded by the tag from its start when it has a `data-collector` (see load-parts.ts):
 * nothing before the first decision needs it. Handed to the tag through a global.
 */
import { createSync } from '@attune/core';

(window as Window & { __attuneSync?: typeof createSync }).__attuneSync = createSync;
