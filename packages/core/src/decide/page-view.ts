import type { Decision, PageView } from './types.js';
export type { PageView } from './types.js';

export function newPageView(): PageView {
  return { claims: new Map(), exposed: new Set(), shown: new Set() };
}

/** The properties of an `experiment_exposure` event. */
export interface Exposure {
  experiment: string;
  /** The variant served (multivariate: `factor=level|...`), or `"holdout"`. */
  variant: string;
  experience: string;
  slot: string;
  /** Multivariate tests: each factor's level. */
  levels?: Readonly<Record<string, string>>;
}

/**
 * Call when a decision's content is actually shown: the exposure to report, or undefined when
 * there is none (no experiment, a forced decision, or already reported in this page view).
 * Marks the experiment as exposed in `pageView`.
 */
export function exposureFor(decision: Decision, pageView: PageView): Exposure | undefined {
  const experiment = decision.experiment;
  if (!experiment || decision.forced || decision.experience === null || pageView.exposed.has(experiment.id)) return undefined;
  pageView.exposed.add(experiment.id);
  const exposure: Exposure = { experiment: experiment.id, variant: experiment.variant, experience: decision.experience, slot: decision.slot };
  if (experiment.levels) exposure.levels = experiment.levels;
  return exposure;
}

/**
 * Call when a decision's content is actually shown: the experience whose impression to count
 * (`recordImpression`) for its caps, or undefined (nothing personalized was shown, a forced
 * decision, or already counted in this page view). Marks it as counted in `pageView`.
 */
export function impressionFor(decision: Decision, pageView: PageView): string | undefined {
  if (decision.reason !== 'matched' || decision.experience === null || pageView.shown.has(decision.experience)) return undefined;
  pageView.shown.add(decision.experience);
  return decision.experience;
}
