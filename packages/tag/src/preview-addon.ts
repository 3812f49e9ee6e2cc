/**
 * attune-preview.min.js: the QA preview overlay, loaded by the tag only when the page asks for it
 * (`?attune_debug=1` or `attune('preview')`, see load-parts.ts). Handed to the tag through a global.
 */
import { openPreview } from '@attune/core';

(window as Window & { __attunePreview?: typeof openPreview }).__attunePreview = openPreview;
