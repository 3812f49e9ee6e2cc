import type { BundleExperience, BundlePosterior } from '../../bundle/schema.js';
import type { Report } from '../../shape-check.js';

/** The arms of a bandit: the experience's variants with a weight above 0 (default 1), in order. */
export const banditArms = (experience: BundleExperience): string[] => experience.variants.filter((variant) => (variant.weight ?? 1) > 0).map((variant) => variant.id);

function checkPosteriors(posteriors: Record<string, BundlePosterior>, arms: readonly string[], where: string, report: Report): void {
  for (const [arm, { alpha, beta }] of Object.entries(posteriors)) {
    const at = `${where}["${arm}"]`;
    if (!arms.includes(arm)) report(`${at}: "${arm}" is not an arm of the experience (a variant with a weight above 0)`);
    if (!(alpha > 0 && beta > 0)) report(`${at}: alpha ${alpha} and beta ${beta} must both be above 0 (a new arm starts at alpha 1, beta 1)`);
  }
}

/**
 * What an experience's `experiment.allocation` (a bandit) needs beyond its schema, as
 * `path: problem` lines (empty when it can be used, or when the experience has no bandit):
 * posteriors of its arms with alpha and beta above 0, a floor the arms can all get, each segment
 * once, no factors. The experience must have the schema's shape.
 */
export function banditProblems(experience: BundleExperience): string[] {
  const problems: string[] = [];
  const report: Report = (problem) => void problems.push(problem);
  const experiment = experience.experiment;
  const allocation = experiment?.allocation;
  if (!allocation) return problems;
  if (experiment.factors) report('allocation: a bandit allocates the variants; remove factors (a multivariate test cannot be a bandit)');
  const arms = banditArms(experience);
  if (arms.length === 0) report('allocation: no variant has a weight above 0; a bandit needs at least one arm');
  const floor = allocation.floor ?? 0;
  if (floor * arms.length > 1) report(`allocation.floor: ${floor} × ${arms.length} arms is over 1; give at most ${Math.floor(1e4 / arms.length) / 1e4}`);
  checkPosteriors(allocation.posteriors ?? {}, arms, 'allocation.posteriors', report);
  const segments = new Set<string>();
  allocation.segments?.forEach(({ segment, posteriors }, i) => {
    const at = `allocation.segments[${i}]`;
    if (segments.has(segment)) report(`${at}: segment "${segment}" is listed twice; the first would always be used`);
    segments.add(segment);
    checkPosteriors(posteriors, arms, `${at}.posteriors`, report);
  });
  return problems;
}
