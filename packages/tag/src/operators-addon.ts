/**
 * attune-operators.min.js: the rule operators off the critical path (arithmetic, arrays, strings,
 * Attune's text and time operators), loaded by the tag only for a bundle whose rules use one,
 * before it compiles (see load-parts.ts). Handed to the tag through a global.
 */
import { extraOperators } from '@attune/core';

(window as Window & { __attuneOperators?: typeof extraOperators }).__attuneOperators = extraOperators;
