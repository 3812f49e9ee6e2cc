/**
 * attune-experiments.min.js: experiments (assignment by hash, sticky assignments, holdouts,
 * multivariate), loaded by the tag only for a bundle with an experiment, before it compiles (see
 * load-parts.ts). Handed to the tag through a global.
 */
import { experimentOutcome } from '@attune/core';

(window as Window & { __attuneExperiments?: typeof experimentOutcome }).__attuneExperiments = experimentOutcome;
