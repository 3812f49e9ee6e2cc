/**
 * Personal identifiers in traits: normalized so the same person always yields the same value (and
 * hash), kept raw only on the device, and hashed before anything leaves it.
 */

/**
 * Trims and lower-cases an email address. Returns `undefined` unless it has one `@`, a non-empty
 * local part, a domain of dot-separated non-empty labels (at least two) and no whitespace, within
 * the 254 characters an address can have.
 */
export function normalizeEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const email = value.trim().toLowerCase();
  return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? email : undefined;
}

/**
 * Normalizes a phone number written by a person: spaces, dashes, dots, slashes, parentheses and an
 * international `(0)` trunk prefix (`+44 (0)20 …`) are removed, a leading `00` becomes `+`.
 * Returns `+` and 6–15 digits (E.164 length; the country code cannot start with 0) or 6–15 digits
 * without `+`; anything else, including numbers (they lose leading zeros), gives `undefined`.
 * No country code is ever guessed: a national number stays national.
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const phone = value
    .trim()
    .replace(/^(\+\d+)\s*\(0\)/, '$1')
    .replace(/[\s\-./()]/g, '')
    .replace(/^00/, '+');
  return /^(\+[1-9]\d{5,14}|\d{6,15})$/.test(phone) ? phone : undefined;
}

/**
 * The trait keys that are personal identifiers, their normalizer and the key their hash is sent
 * under. Keys match exactly (`email`, `phone`; not `Email` or `userEmail`), so that unrelated
 * traits such as `emailOptIn` are never rewritten: hosts must pass identifiers under these keys.
 */
export const PII_TRAITS: Readonly<Record<'email' | 'phone', { readonly hashedKey: string; readonly normalize: (value: unknown) => string | undefined }>> = {
  email: { hashedKey: 'emailSha256', normalize: normalizeEmail },
  phone: { hashedKey: 'phoneSha256', normalize: normalizePhone },
};

/** Traits after identifier handling, and the identifier keys removed (so the caller can warn). */
export interface ProtectedTraits {
  traits: Record<string, unknown>;
  dropped: string[];
}

/**
 * The traits to keep in the on-device profile: `email` and `phone` normalized (the raw value stays
 * on the device), invalid ones removed and listed in `dropped`; other traits unchanged.
 */
export function localTraits(traits: Readonly<Record<string, unknown>>): ProtectedTraits {
  const out: Record<string, unknown> = { ...traits };
  const dropped: string[] = [];
  for (const [key, { normalize }] of Object.entries(PII_TRAITS)) {
    if (!(key in out)) continue;
    const value = normalize(out[key]);
    if (value === undefined) {
      delete out[key];
      dropped.push(key);
    } else out[key] = value;
  }
  return { traits: out, dropped };
}
