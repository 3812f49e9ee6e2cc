import type * as z from 'zod/mini';
import { at } from './shape-check.js';

/** Every failure Attune reports has a stable `code` so hosts can branch on it. */
export type AttuneErrorCode =
  | 'rule-invalid'
  | 'rule-unknown-operator'
  | 'bundle-fetch-failed'
  | 'bundle-invalid'
  | 'bundle-rule-invalid'
  | 'bundle-signature-invalid'
  | 'bundle-rollback'
  | 'bundle-expired'
  | 'model-invalid'
  | 'recommender-invalid'
  | 'bandit-invalid'
  | 'event-invalid'
  | 'storage-unavailable'
  | 'sync-failed'
  | 'sync-rejected'
  | 'queue-overflow'
  | 'consent-blocked'
  | 'consent-invalid'
  | 'profile-invalid'
  | 'argument-invalid';

/** A typed error: `code` is machine-readable, `message` says what to do about it. */
export class AttuneError extends Error {
  readonly code: AttuneErrorCode;

  constructor(code: AttuneErrorCode, message: string, cause?: unknown) {
    // Error's own `cause` option (ES2022); an undefined cause leaves no `cause` property.
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AttuneError';
    this.code = code;
  }
}

/** A short description of a value for messages: its JSON (at most 60 characters), else its type. */
export function describeValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // BigInt, cycles: the type says enough.
  }
  return (text ?? typeof value).slice(0, 60);
}

/** The message of a thrown value (an Error's message, anything else as text). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `error` itself when it is an AttuneError (one a loaded part made is rebuilt with its code), else an AttuneError of `code` with its message (and it as the cause). */
export const asAttuneError = (error: unknown, code: AttuneErrorCode): AttuneError =>
  error instanceof AttuneError
    ? error
    : // Made by a part's own copy of the class (a file the tag loads beside it): its code is kept.
      error instanceof Error && error.name === 'AttuneError'
      ? new AttuneError((error as AttuneError).code, error.message, error.cause)
      : new AttuneError(code, errorMessage(error), error);

const describePath = (path: readonly PropertyKey[]): string => path.reduce<string>((out, key) => at(out, typeof key === 'number' ? key : String(key)), '') || '(root)';

/**
 * One line per schema problem, `path: what is wrong`, e.g. `segments[3]: invalid type (expected string)`,
 * `schema: invalid value (expected "attune.bundle/1")`, `id: too small (at least 1)`.
 * zod/mini ships no messages (they would cost bytes), so the issue is spelled out from its fields.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    // The schemas' bounds are all inclusive (gte, lte, minLength, maxLength).
    // `options`: a discriminated union's discriminator (a model's `type`) that names no member;
    // `received`: a number that is not finite (NaN, Infinity).
    const { expected, received, values = (issue as { options?: unknown[] }).options, minimum, maximum } = issue as { expected?: string; received?: string; values?: unknown[]; minimum?: number; maximum?: number };
    // A required key of any type ("version", a rule) that is absent.
    if (expected === 'nonoptional') return `${describePath(issue.path)}: missing`;
    const detail = expected
      ? `expected ${expected}${received ? `, got ${received}` : ''}`
      : values
        ? `expected ${values.map((value) => JSON.stringify(value)).join(' or ')}`
        : minimum !== undefined
          ? `at least ${minimum}`
          : maximum !== undefined && `at most ${maximum}`;
    return `${describePath(issue.path)}: ${values ? 'invalid value' : issue.code.replace(/_/g, ' ')}${detail ? ` (${detail})` : ''}`;
  });
}
