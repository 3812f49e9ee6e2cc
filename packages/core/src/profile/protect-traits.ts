/*
 * Hashing identifiers before they leave the device: a part of its own (see client/load-parts.ts),
 * loaded on the first identify() with an email or phone (the hashing is asynchronous anyway).
 */
import { localTraits, PII_TRAITS, type ProtectedTraits } from './normalize-identity.js';

/**
 * Lower-case hex SHA-256 of the UTF-8 text, with Web Crypto (`crypto.subtle`, looked up on each
 * call so importing this module touches no browser API). Rejects where Web Crypto is missing.
 */
export async function sha256Hex(text: string): Promise<string> {
  const hash = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The traits to send off the device. `email` and `phone` are normalized and replaced by
 * `emailSha256` / `phoneSha256` (lower-case hex SHA-256 of the normalized value); with `allowRaw`
 * the normalized value is sent too. Removed, and listed in `dropped`: values that do not normalize,
 * and, without `allowRaw`, values that cannot be hashed because no digest is available (no
 * `crypto.subtle` on an insecure origin) or it failed — a raw identifier is never sent by default.
 * Other traits are sent unchanged. `digest` replaces the Web Crypto SHA-256 (tests, Node).
 */
export async function protectTraits(
  traits: Readonly<Record<string, unknown>>,
  options: { allowRaw: boolean; digest?: (text: string) => Promise<string> },
): Promise<ProtectedTraits> {
  const { traits: out, dropped } = localTraits(traits);
  const digest = options.digest ?? (globalThis.crypto?.subtle ? sha256Hex : undefined);
  for (const [key, { hashedKey }] of Object.entries(PII_TRAITS)) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    // A failing digest counts as none: better to lose the identifier than to send it raw.
    const hash = await digest?.(value).catch(() => undefined);
    if (hash !== undefined) out[hashedKey] = hash;
    if (!options.allowRaw) {
      delete out[key];
      if (hash === undefined) dropped.push(key);
    }
  }
  return { traits: out, dropped };
}
