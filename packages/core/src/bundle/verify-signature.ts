import { AttuneError } from '../errors.js';

/**
 * Bundle signatures: ECDSA P-256 with SHA-256 over the exact bytes of the bundle file, written
 * as base64url (or base64) of the 64-byte IEEE P1363 `r || s` form — what WebCrypto produces, and
 * Node's `crypto.sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' })` (see `attune sign`).
 */

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE_BYTES = 64;

const invalid = (message: string, cause?: unknown): AttuneError => new AttuneError('bundle-signature-invalid', message, cause);

/** Decodes base64url or base64 (padding and surrounding whitespace allowed); undefined if it is neither. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(compact) || compact.length % 4 === 1) return undefined;
  const binary = atob(compact + '==='.slice((compact.length + 3) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw invalid('The bundle signature cannot be checked: WebCrypto (crypto.subtle) is unavailable, which happens on pages not served over HTTPS. Serve the page over HTTPS (or localhost); until then signed bundles are rejected and default content is served.');
  }
  return subtle;
}

/** Parses and checks the configured public key (a JWK object or its JSON text). */
function publicKeyJwk(key: JsonWebKey | string): JsonWebKey {
  let jwk: unknown = key;
  if (typeof key === 'string') {
    try {
      jwk = JSON.parse(key);
    } catch (cause) {
      throw invalid('bundleKey is not valid JSON: give the public JWK printed by `attune keygen`. Bundles are rejected until it is fixed.', cause);
    }
  }
  const candidate = jwk as Partial<JsonWebKey> | null;
  if (typeof candidate !== 'object' || candidate === null || candidate.kty !== 'EC' || candidate.crv !== 'P-256' || typeof candidate.x !== 'string' || typeof candidate.y !== 'string') {
    throw invalid('bundleKey is not an ECDSA P-256 public JWK ({"kty":"EC","crv":"P-256","x":…,"y":…}): give the public key printed by `attune keygen`. Bundles are rejected until it is fixed.');
  }
  if ('d' in candidate) {
    throw invalid('bundleKey contains a private key ("d"): anyone reading the page could sign bundles with it. Give the public key only (attune keygen writes it to public.jwk) and make a new key pair. Bundles are rejected until it is fixed.');
  }
  return { kty: 'EC', crv: 'P-256', x: candidate.x, y: candidate.y };
}

/** Why a signature was refused. */
type Refusal = 'missing' | 'malformed' | 'mismatch';

const REFUSALS: Record<Refusal, string> = {
  missing: 'The bundle is not signed but a bundleKey is configured: sign it (attune sign bundle.json --key private.jwk) and publish the .sig file next to it.',
  malformed: `The bundle signature is malformed: expected base64url of ${SIGNATURE_BYTES} bytes (ECDSA P-256 r||s, IEEE P1363, as attune sign writes it).`,
  mismatch: 'The bundle signature does not match its content (the file was changed after signing, or signed with another key): re-sign it with the private key that pairs with bundleKey.',
};

/** Checks a bundle's bytes against its signature; resolves when it is good, rejects with `bundle-signature-invalid` otherwise. */
export type BundleVerifier = (bytes: Uint8Array, signature: string | undefined) => Promise<void>;

/**
 * Creates the verifier for one public key. The key is imported once, on first use, and the
 * import is reused; a bad key rejects every bundle (fail closed) with a message naming the fix.
 */
export function createBundleVerifier(key: JsonWebKey | string): BundleVerifier {
  const refusal = createSignatureCheck(key);
  return async (bytes, signature) => {
    const refused = await refusal(bytes, signature);
    if (refused) throw invalid(REFUSALS[refused]);
  };
}

function createSignatureCheck(key: JsonWebKey | string): (bytes: Uint8Array, signature: string | undefined) => Promise<Refusal | undefined> {
  let imported: Promise<CryptoKey> | undefined;
  const importKey = (): Promise<CryptoKey> =>
    (imported ??= (async () => {
      const jwk = publicKeyJwk(key);
      try {
        return await subtleCrypto().importKey('jwk', jwk, ALGORITHM, false, ['verify']);
      } catch (cause) {
        throw cause instanceof AttuneError ? cause : invalid('bundleKey could not be imported as an ECDSA P-256 public key (is x/y a point of the curve?): give the public key printed by `attune keygen`.', cause);
      }
    })());

  return async (bytes, signature) => {
    if (signature === undefined || signature.trim() === '') return 'missing';
    const raw = decodeBase64(signature);
    if (!raw || raw.length !== SIGNATURE_BYTES) return 'malformed';
    const cryptoKey = await importKey();
    try {
      return (await subtleCrypto().verify({ name: 'ECDSA', hash: 'SHA-256' }, cryptoKey, raw as Uint8Array<ArrayBuffer>, bytes as Uint8Array<ArrayBuffer>)) ? undefined : 'mismatch';
    } catch (cause) {
      throw invalid('The bundle signature could not be checked by WebCrypto.', cause);
    }
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
