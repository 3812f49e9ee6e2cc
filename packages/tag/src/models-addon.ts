/**
 * attune-models.min.js: on-device models (the score operator over logistic regressions and tree
 * ensembles) and bandit experiments, loaded by the tag only for a bundle with `models[]` or a
 * bandit (see load-parts.ts). Hands the part to the tag through a global.
 */
import { modelsPart } from '@attune/core';

(window as Window & { __attuneModels?: typeof modelsPart }).__attuneModels = modelsPart;
