// Types of signing.mjs, the `@attune/cli/signing` entry point (bundle signing in Node).

/** An ECDSA P-256 key as a JSON Web Key (kty "EC", crv "P-256"; a private key also has "d"). */
export interface EcJwk {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  [member: string]: unknown;
}

/** A new key pair as JWKs: `privateJwk` signs (keep it secret), `publicJwk` goes into the page. */
export function generateKeyPair(): { privateJwk: EcJwk; publicJwk: EcJwk };

/** The public half of a private JWK. */
export function publicJwkOf(privateJwk: EcJwk): EcJwk;

/** Signs `bytes` (the bundle file as it will be served): base64url of the 64-byte r || s signature. */
export function signBytes(bytes: Uint8Array, privateJwk: EcJwk): string;

/** Whether `signature` (base64url or base64) signs `bytes` for `publicJwk` (a private JWK works too). */
export function verifyBytes(bytes: Uint8Array, signature: string, publicJwk: EcJwk): boolean;
