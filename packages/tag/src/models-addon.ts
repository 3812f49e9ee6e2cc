/**
 * attune-models.min.js: on-device models (logistic regression, tree ensembles), loaded by the tag
 * only when a bundle has `models[]` (see load-parts.ts). Hands the bundle's scorer to the tag
 * through a global.
 */
import { createBundleScores } from '@attune/core';

(window as Window & { __attuneModels?: typeof createBundleScores }).__attuneModels = createBundleScores;
