import { AttuneError } from '../errors.js';

/**
 * Bundle signatures: ECDSA P-256 with SHA-256 over the exact bytes of the bundle file, written
 * as base64url (or base64) of the 64-byte IEEE P1363 `r || s` form — what WebCrypto produces, and
 * Node's `crypto.sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' })` (see `attune sign`).
 */

const invalid = (message: string, cause?: unknown): AttuneError => new AttuneError('bundle-signature-invalid', message, cause);

/** Decodes base64url or base64 (padding and surrounding whitespace allowed); undefined if it is neither. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[\w+/]*$/.test(compact) || compact.length % 4 === 1) return undefined;
  // atob decodes base64 without its padding (forgiving-base64, HTML spec) except at length 4n + 1.
  return Uint8Array.from(atob(compact), (char) => char.charCodeAt(0));
}

function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw invalid('Checking signatures needs WebCrypto: serve the page over HTTPS (or localhost).');
  return subtle;
}

/** The configured public key (a JWK or its JSON text), checked: a bad key rejects every bundle. */
async function importPublicKey(key: JsonWebKey | string): Promise<CryptoKey> {
  let jwk: JsonWebKey | undefined;
  try {
    jwk = typeof key === 'string' ? (JSON.parse(key) as JsonWebKey) : key;
  } catch {
    // Reported below, like any other unusable key.
  }
  if (jwk && 'd' in jwk) throw invalid('bundleKey holds a private key ("d"): give the public key only, and make a new key pair since this one is exposed.');
  try {
    return await subtleCrypto().importKey('jwk', { kty: jwk?.kty, crv: jwk?.crv, x: jwk?.x, y: jwk?.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  } catch (cause) {
    throw cause instanceof AttuneError ? cause : invalid('bundleKey is not the ECDSA P-256 public JWK that `attune keygen` prints.', cause);
  }
}

/** Checks a signature: resolves to why it is refused, or undefined when it is good. */
function createSignatureCheck(key: JsonWebKey | string): (bytes: Uint8Array, signature: string | undefined) => Promise<string | undefined> {
  let imported: Promise<CryptoKey> | undefined;
  return async (bytes, signature) => {
    if (!signature?.trim()) return 'The bundle is not signed but bundleKey is set: sign it with `attune sign` and publish the .sig next to it.';
    const raw = decodeBase64(signature);
    if (raw?.length !== 64) return 'The bundle signature is malformed: expected base64url of 64 bytes (P-256 r||s, IEEE P1363), as `attune sign` writes.';
    const cryptoKey = await (imported ??= importPublicKey(key));
    const good = await subtleCrypto()
      .verify({ name: 'ECDSA', hash: 'SHA-256' }, cryptoKey, raw as Uint8Array<ArrayBuffer>, bytes as Uint8Array<ArrayBuffer>)
      .catch(() => false);
    return good ? undefined : 'The bundle signature does not match (the file changed after signing, or another key signed it): re-sign it with the private key of bundleKey.';
  };
}

/** Checks a bundle's bytes against its signature; resolves when it is good, rejects with `bundle-signature-invalid` otherwise. */
export type BundleVerifier = (bytes: Uint8Array, signature: string | undefined) => Promise<void>;

/**
 * Creates the verifier for one public key. The key is imported once, on first use, and the
 * import is reused; a bad key rejects every bundle (fail closed) with a message naming the fix.
 */
export function createBundleVerifier(key: JsonWebKey | string): BundleVerifier {
  const check = createSignatureCheck(key);
  return async (bytes, signature) => {
    const refused = await check(bytes, signature);
    if (refused) throw invalid(refused);
  };
}

/**
 * Whether `signature` is a valid signature of `bundle` (its exact UTF-8 bytes when given as text)
 * for the public key `key`: for servers and build steps (the client checks signatures itself).
 * Rejects with `bundle-signature-invalid` only when the key is unusable or WebCrypto is missing.
 */
export async function verifyBundleSignature(bundle: string | Uint8Array, signature: string, key: JsonWebKey | string): Promise<boolean> {
  const bytes = typeof bundle === 'string' ? new TextEncoder().encode(bundle) : bundle;
  return (await createSignatureCheck(key)(bytes, signature)) === undefined;
}
