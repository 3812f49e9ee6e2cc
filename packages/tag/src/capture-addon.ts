/**
 * attune-capture.min.js: auto-capture of SPA page views, marked clicks and form use, loaded by
 * the tag once the slots are filled (see index.ts), so it never delays the first decision. It
 * hands a starter to the tag through a global (see load-parts.ts).
 */
import { captureClicks, captureForms, capturePageViews, type AutoCaptureOptions, type CaptureTarget } from '@attune/core';

export type StartCapture = (target: CaptureTarget, options: AutoCaptureOptions) => void;

const start: StartCapture = (target, options) => {
  if (options.pageViews !== false) capturePageViews(target);
  if (options.clicks !== false) captureClicks(target);
  if (options.forms !== false) captureForms(target);
};
(window as Window & { __attuneCapture?: StartCapture }).__attuneCapture = start;
