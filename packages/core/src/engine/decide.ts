import type { BundleContent, BundleExperience } from '../bundle/schema.js';
import type { CompiledBundle } from './compile-bundle.js';

/**
 * Why a slot got its content. `matched` is the only personalized outcome; every other reason
 * serves the slot's default.
 */
export type DecisionReason =
  | 'matched'
  | 'default-no-bundle'
  | 'default-no-consent'
  | 'default-expired'
  | 'not-in-audience'
  | 'error';

export interface Decision {
  slot: string;
  /** The experience that decided, or null when the default is served. */
  experience: string | null;
  variant: string | null;
  /** The content to show; null means "keep the page's own markup". */
  content: BundleContent | null;
  reason: DecisionReason;
  /** Present when a rule failed while deciding: what went wrong. */
  message?: string;
}

export interface DecideInput {
  personalizationAllowed: boolean;
  nowMs: number;
  onRuleError(experienceId: string, error: unknown): void;
}

function defaultOf(bundle: CompiledBundle, slot: string, reason: DecisionReason, message?: string): Decision {
  // The slot's default is the default variant of its highest-priority experience that names one.
  const owner = bundle.bySlot.get(slot)?.find((candidate) => candidate.experience.default !== undefined)?.experience;
  const variant = owner?.variants.find((v) => v.id === owner.default);
  const decision: Decision = {
    slot,
    experience: null,
    variant: variant?.id ?? null,
    content: variant ? bundle.bundle.content[variant.content] ?? null : null,
    reason,
  };
  if (message !== undefined) decision.message = message;
  return decision;
}

function matched(bundle: CompiledBundle, slot: string, experience: BundleExperience): Decision {
  // Without an experiment, a matched experience serves its first variant that is not the default
  // (the default is what everyone outside the audience sees).
  const variant = experience.variants.find((v) => v.id !== experience.default) ?? experience.variants[0]!;
  return {
    slot,
    experience: experience.id,
    variant: variant.id,
    content: bundle.bundle.content[variant.content] ?? null,
    reason: 'matched',
  };
}

/**
 * Picks the content for one slot: the first experience (by priority) whose audience matches
 * `data`. Pure and synchronous; never throws: a rule that throws counts as "not matched" for its
 * experience only and is reported through `onRuleError`.
 */
export function decideSlot(bundle: CompiledBundle | undefined, slot: string, data: unknown, input: DecideInput): Decision {
  if (!bundle) return { slot, experience: null, variant: null, content: null, reason: 'default-no-bundle' };
  if (bundle.expiresAtMs !== undefined && input.nowMs >= bundle.expiresAtMs) {
    return { slot, experience: null, variant: null, content: null, reason: 'default-expired' };
  }
  if (!input.personalizationAllowed) return defaultOf(bundle, slot, 'default-no-consent');
  let failure: string | undefined;
  for (const candidate of bundle.bySlot.get(slot) ?? []) {
    try {
      if (candidate.matches(data)) return matched(bundle, slot, candidate.experience);
    } catch (error) {
      failure = `experience "${candidate.experience.id}": ${error instanceof Error ? error.message : String(error)}`;
      input.onRuleError(candidate.experience.id, error);
    }
  }
  return failure === undefined ? defaultOf(bundle, slot, 'not-in-audience') : defaultOf(bundle, slot, 'error', failure);
}
