/** Every failure Attune reports has a stable `code` so hosts can branch on it. */
export type AttuneErrorCode =
  | 'rule-invalid'
  | 'rule-unknown-operator'
  | 'bundle-fetch-failed'
  | 'bundle-invalid'
  | 'bundle-rule-invalid'
  | 'event-invalid'
  | 'storage-unavailable'
  | 'sync-failed'
  | 'sync-rejected'
  | 'queue-overflow'
  | 'consent-blocked'
  | 'consent-invalid';

/** A typed error: `code` is machine-readable, `message` says what to do about it. */
export class AttuneError extends Error {
  readonly code: AttuneErrorCode;
  override readonly cause?: unknown;

  constructor(code: AttuneErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = 'AttuneError';
    this.code = code;
    if (cause !== undefined) this.cause = cause;
  }
}
