/**
 * attune-tcf.min.js: the IAB TCF v2.2 listener, loaded by the tag only on pages with a CMP
 * (`__tcfapi`), see load-parts.ts. Handed to the tag through a global.
 */
import { listenToTcf } from '@attune/core';

(window as Window & { __attuneTcf?: typeof listenToTcf }).__attuneTcf = listenToTcf;
