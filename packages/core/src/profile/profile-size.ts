import { AttuneError, type AttuneErrorCode } from '../errors.js';
import { MAX_EVENT_BYTES } from '../events/event.js';
import { utf8Length } from '../utf8-length.js';

/**
 * Most UTF-8 bytes of JSON one call may bring into the profile (identify traits, a hydration, the
 * profileUrl document): half an event, so the identify event carrying the traits still fits
 * MAX_EVENT_BYTES with its page context.
 */
export const MAX_CALL_BYTES = MAX_EVENT_BYTES / 2;

/**
 * Most bytes of JSON the profile keeps from outside: identify traits and hydrated data together.
 * The profile record is rewritten with every change and posted to the other tabs.
 */
export const MAX_PROFILE_BYTES = 64 * 1024;

/** What is measured against MAX_PROFILE_BYTES. */
export const outsideJson = (traits: unknown, hydrated: unknown): string => JSON.stringify([traits, hydrated]);

/** The error refusing a whole call (`what`) when `json` is over `cap` bytes; undefined when it fits. */
export function tooBig(what: string, code: AttuneErrorCode, json: string, cap = MAX_CALL_BYTES): AttuneError | undefined {
  const bytes = utf8Length(json);
  if (bytes <= cap) return undefined;
  return new AttuneError(code, `${what}: refused, nothing kept: ${bytes} bytes of JSON, over the ${cap}-byte limit ${cap < MAX_PROFILE_BYTES ? 'per call' : 'of the profile: remove traits (null in hydrate) or reset()'}.`);
}

/**
 * Joins traits given before a stored profile was read (`newer`, winning per key) to its traits
 * (`kept`) when the profile stays within MAX_PROFILE_BYTES; otherwise the stored traits stay as
 * they were and the newer ones are refused (reported), so start-ups and logins cannot grow it.
 */
export function joinTraits(
  kept: Record<string, unknown>,
  newer: Record<string, unknown>,
  hydrated: unknown,
  report: (error: AttuneError) => void,
): Record<string, unknown> {
  const joined = { ...kept, ...newer };
  const error = tooBig('Traits set before the profile loaded', 'profile-invalid', outsideJson(joined, hydrated), MAX_PROFILE_BYTES);
  if (!error) return joined;
  report(error);
  return kept;
}
