import type { BundleExperience, BundlePosterior } from '../../bundle/schema.js';
import { murmur3_x86_32 } from '../../decide/murmur3.js';
import { AttuneError } from '../../errors.js';
import { sampleBeta } from './beta-sample.js';
import { banditArms, banditProblems } from './check-bandit.js';
import { mulberry32 } from './random.js';

/** A bandit ready to draw: its arms and their posteriors as alpha, beta pairs. */
export interface CompiledBandit {
  /** The experiment's id (part of the seed). */
  readonly id: string;
  readonly arms: readonly string[];
  readonly floor: number;
  /** alpha and beta of arm i at 2i and 2i + 1. */
  readonly posteriors: Float64Array;
  /** Per segment, in the bundle's order: an arm it does not list has the experiment's posterior. */
  readonly segments: readonly { readonly segment: string; readonly posteriors: Float64Array }[];
}

/** Where the arm came from. */
export interface ArmChoice {
  readonly variant: string;
  /** Chosen by the exploration floor rather than by Thompson sampling. */
  readonly explored: boolean;
  /** The segment whose posteriors were used; null for the experiment's own. */
  readonly segment: string | null;
}

/** Posteriors as alpha, beta pairs in the arms' order; unlisted arms keep `base`'s (Beta(1, 1) by default). */
function pack(arms: readonly string[], posteriors: Record<string, BundlePosterior> | undefined, base?: Float64Array): Float64Array {
  const packed = base ? base.slice() : new Float64Array(arms.length * 2).fill(1);
  arms.forEach((arm, i) => {
    const posterior = posteriors && Object.hasOwn(posteriors, arm) ? posteriors[arm]! : undefined;
    if (posterior) packed.set([posterior.alpha, posterior.beta], 2 * i);
  });
  return packed;
}

/**
 * Checks the bandit of an experience of a checked bundle (banditProblems) and packs it. Throws
 * AttuneError `bandit-invalid` listing every problem, or when the experience has no bandit.
 */
export function compileBandit(experience: BundleExperience): CompiledBandit {
  const allocation = experience.experiment?.allocation;
  const problems = allocation ? banditProblems(experience) : ['experiment.allocation: missing; an experience without one is not a bandit'];
  if (problems.length > 0) throw new AttuneError('bandit-invalid', `The bandit of experience "${experience.id}" cannot be used. Fix: ${problems.join('; ')}`);
  const arms = banditArms(experience);
  const posteriors = pack(arms, allocation!.posteriors);
  return {
    id: experience.experiment!.id,
    arms,
    floor: allocation!.floor ?? 0,
    posteriors,
    segments: (allocation!.segments ?? []).map(({ segment, posteriors: own }) => ({ segment, posteriors: pack(arms, own, posteriors) })),
  };
}

/**
 * The arm of `bandit` for `unitId` in the session `sessionKey`, deterministic (docs/experiments.md "Bandits"):
 * a generator seeded with `murmur3_x86_32(id:unitId:sessionKey)`; a first number below
 * arms × floor picks an arm evenly (exploration), otherwise each arm draws from its Beta posterior
 * (the first of `segmentIds`' segments that the bandit lists, else the experiment's) and the highest
 * draw wins. Never throws: null when the unit or session is not a string.
 */
export function chooseArm(bandit: CompiledBandit, unitId: string, sessionKey: string, segmentIds: readonly string[]): ArmChoice | null {
  if (typeof unitId !== 'string' || typeof sessionKey !== 'string') return null;
  const random = mulberry32(murmur3_x86_32(bandit.id + ':' + unitId + ':' + sessionKey));
  const { arms, floor } = bandit;
  const entry = Array.isArray(segmentIds) ? bandit.segments.find(({ segment }) => segmentIds.includes(segment)) : undefined;
  const segment = entry?.segment ?? null;
  const u = random();
  if (u < arms.length * floor) return { variant: arms[Math.min(arms.length - 1, Math.floor(u / floor))]!, explored: true, segment };
  const posteriors = entry?.posteriors ?? bandit.posteriors;
  let best = 0;
  let bestDraw = -1;
  for (let i = 0; i < arms.length; i++) {
    const draw = sampleBeta(posteriors[2 * i]!, posteriors[2 * i + 1]!, random);
    if (draw > bestDraw) [best, bestDraw] = [i, draw];
  }
  return { variant: arms[best]!, explored: false, segment };
}
