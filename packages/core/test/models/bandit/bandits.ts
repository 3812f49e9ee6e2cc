import type { BundleAllocation, BundleExperience } from '../../../src/bundle/schema.js';
import { validateBundle } from '../../../src/bundle/validate-bundle.js';
import { rawBundle } from '../../decide/decide-support.js';

type Variant = { id: string; weight?: number };

/** The experience of a checked bundle whose experiment is a bandit over `arms` (default a, b, c). */
export function banditExperience(allocation: Partial<BundleAllocation> = {}, arms: readonly (string | Variant)[] = ['a', 'b', 'c'], experiment: Record<string, unknown> = {}): BundleExperience {
  const variants = arms.map((arm) => (typeof arm === 'string' ? { id: arm } : arm)).map((variant) => ({ ...variant, content: variant.id }));
  const bundle = validateBundle(
    rawBundle([{ id: 'banner', slot: 'banner', variants, experiment: { id: 'banner-bandit', ...experiment, allocation: { type: 'thompson', reward: 'purchase', ...allocation } } }]),
  );
  return bundle.experiences[0]!;
}
