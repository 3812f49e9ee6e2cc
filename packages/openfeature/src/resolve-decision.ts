import type { BundleContent, Decision, DecisionReason } from '@attune/core';
import { ErrorCode, type FlagMetadata, type ResolutionDetails, type ResolutionReason } from '@openfeature/web-sdk';

/** The value types OpenFeature evaluates. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/**
 * OpenFeature's reason for each of Attune's (docs/openfeature.md). A `matched` decision whose
 * variant an experiment chose is a SPLIT; the ERROR ones carry no content the caller can use.
 */
const REASONS: Readonly<Record<DecisionReason, ResolutionReason>> = {
  matched: 'TARGETING_MATCH',
  forced: 'TARGETING_MATCH',
  holdout: 'SPLIT',
  'not-in-traffic': 'DEFAULT',
  capped: 'DEFAULT',
  'not-in-audience': 'DEFAULT',
  'default-no-consent': 'DISABLED',
  'default-no-bundle': 'ERROR',
  'default-expired': 'ERROR',
  error: 'ERROR',
};

/** A decimal number as text: no hex, no `Infinity`, no empty string (all of which `Number()` takes). */
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A content's value as a flag of `type`, undefined when it holds none: `string` takes a string
 * value (text, or JSON that is a string), `object` a JSON content's value, `boolean` and `number`
 * a JSON boolean or number or the same written as text ("true", "false", "12.5").
 */
export function contentValue(content: BundleContent, type: FlagType): unknown {
  const { value } = content;
  if (type === 'object') return content.type === 'json' ? value : undefined;
  if (type === 'string' || typeof value === type) return typeof value === type ? value : undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  return DECIMAL.test(text) && Number.isFinite(+text) ? +text : undefined;
}

/** What OpenFeature shows of a decision: its slot, Attune's reason, experience and experiment (scalars only, as the spec requires). */
export function decisionMetadata(decision: Decision): FlagMetadata {
  const metadata: FlagMetadata = { slot: decision.slot, attuneReason: decision.reason };
  if (decision.experience !== null) metadata.experience = decision.experience;
  if (decision.experiment) {
    metadata.experiment = decision.experiment.id;
    metadata.experimentVariant = decision.experiment.variant;
  }
  if (decision.forced) metadata.forced = true;
  if (decision.message !== undefined) metadata.message = decision.message;
  return metadata;
}

/** An error resolution: OpenFeature gives the caller its default value, with the code and message. */
export const failed = <T>(value: T, errorCode: ErrorCode, errorMessage: string, flagMetadata?: FlagMetadata): ResolutionDetails<T> => ({ value, reason: 'ERROR', errorCode, errorMessage, flagMetadata });

/** A decision as OpenFeature's resolution of a `type` flag: its content, or `defaultValue` where it has none. */
export function resolveDecision<T>(decision: Decision, defaultValue: T, type: FlagType): ResolutionDetails<T> {
  const { content, reason, variant } = decision;
  const flagMetadata = decisionMetadata(decision);
  const details: ResolutionDetails<T> = { value: defaultValue, reason: reason === 'matched' && decision.experiment ? 'SPLIT' : REASONS[reason], flagMetadata };
  // `error` has a message; `default-expired` (the only other, as the provider checks the bundle first) speaks for itself.
  if (details.reason === 'ERROR') return failed(defaultValue, ErrorCode.GENERAL, decision.message ?? reason, flagMetadata);
  if (variant !== null) details.variant = variant;
  if (content === null) return details;
  const value = contentValue(content, type);
  if (value === undefined) return failed(defaultValue, ErrorCode.TYPE_MISMATCH, `Slot "${decision.slot}" holds ${content.type} content that is not a ${type}.`, flagMetadata);
  details.value = value as T;
  return details;
}
