// Bundle signing with node:crypto: ECDSA P-256 over SHA-256 of the exact file bytes, the signature
// as base64url of the 64-byte IEEE P1363 form (r || s), which is what the browser checks with
// WebCrypto (packages/core/src/bundle/verify-signature.ts). Keys are JWK files.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** A new key pair as JWKs: `privateJwk` signs (keep it secret), `publicJwk` goes into the page. */
export function generateKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateJwk: privateKey.export({ format: 'jwk' }), publicJwk: publicKey.export({ format: 'jwk' }) };
}

function ecKey(jwk, kind) {
  if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error(`the ${kind} key is not an ECDSA P-256 JWK (kty "EC", crv "P-256"): make one with attune keygen`);
  if (kind === 'private' && typeof jwk.d !== 'string') throw new Error('the key has no private part ("d"): sign with private.jwk from attune keygen, not the public key');
  return kind === 'private' ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
}

/** The public half of a private JWK. */
export function publicJwkOf(privateJwk) {
  return createPublicKey(ecKey(privateJwk, 'private')).export({ format: 'jwk' });
}

/** Signs `bytes` (a Buffer/Uint8Array: the bundle file as it will be served). */
export function signBytes(bytes, privateJwk) {
  return sign('sha256', bytes, { key: ecKey(privateJwk, 'private'), dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** Whether `signature` (base64url or base64) signs `bytes` for `publicJwk` (a private JWK works too). */
export function verifyBytes(bytes, signature, publicJwk) {
  const raw = Buffer.from(signature.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (raw.length !== 64) return false;
  return verify('sha256', bytes, { key: ecKey(publicJwk, 'public'), dsaEncoding: 'ieee-p1363' }, raw);
}
