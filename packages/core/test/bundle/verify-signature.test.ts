import { createSign } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBundleVerifier, decodeBase64, verifyBundleSignature } from '../../src/bundle/verify-signature.js';
import { AttuneError } from '../../src/errors.js';
import { makeKeys, signBytes } from './signing.js';

const keys = makeKeys();
const text = '{"schema":"attune.bundle/1","id":"shop","version":3,"experiences":[],"content":{}}\n';
const bytes = new TextEncoder().encode(text);

async function refusal(promise: Promise<unknown>): Promise<AttuneError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AttuneError) return error;
    throw error;
  }
  throw new Error('expected the signature to be refused');
}

afterEach(() => vi.unstubAllGlobals());

describe('bundle signature verification', () => {
  it('accepts a signature made by node:crypto over the exact bytes', async () => {
    await expect(createBundleVerifier(keys.publicJwk)(bytes, signBytes(text, keys))).resolves.toBeUndefined();
  });

  it('accepts the key as JSON text, as the tag passes it', async () => {
    await expect(createBundleVerifier(JSON.stringify(keys.publicJwk))(bytes, signBytes(text, keys))).resolves.toBeUndefined();
  });

  it('accepts standard base64 with padding as well as base64url', async () => {
    const base64 = Buffer.from(signBytes(text, keys), 'base64url').toString('base64');
    expect(base64.endsWith('==')).toBe(true); // 64 bytes: base64 always pads.
    await expect(verifyBundleSignature(text, `${base64}\n`, keys.publicJwk)).resolves.toBe(true);
  });

  it('refuses a bundle with one byte changed', async () => {
    const tampered = bytes.slice();
    tampered[text.indexOf('3')] = '4'.charCodeAt(0);
    const error = await refusal(createBundleVerifier(keys.publicJwk)(tampered, signBytes(text, keys)));
    expect(error.code).toBe('bundle-signature-invalid');
    expect(error.message).toContain('does not match');
  });

  it('refuses a bundle signed with another key', async () => {
    const error = await refusal(createBundleVerifier(keys.publicJwk)(bytes, signBytes(text, makeKeys())));
    expect(error).toMatchObject({ code: 'bundle-signature-invalid', message: expect.stringContaining('another key') });
  });

  it('refuses an unsigned bundle and says how to sign it', async () => {
    const error = await refusal(createBundleVerifier(keys.publicJwk)(bytes, undefined));
    expect(error).toMatchObject({ code: 'bundle-signature-invalid', message: expect.stringContaining('attune sign') });
    await expect(refusal(createBundleVerifier(keys.publicJwk)(bytes, '  \n'))).resolves.toMatchObject({ code: 'bundle-signature-invalid' });
  });

  it('refuses a signature that is not base64', async () => {
    const error = await refusal(createBundleVerifier(keys.publicJwk)(bytes, 'not a signature!'));
    expect(error.message).toContain('malformed');
  });

  it('refuses a DER-encoded signature (OpenSSL default) as malformed, naming the expected form', async () => {
    const der = createSign('sha256').update(bytes).sign(keys.privateKey).toString('base64url');
    const error = await refusal(createBundleVerifier(keys.publicJwk)(bytes, der));
    expect(error.message).toContain('IEEE P1363');
  });

  it('refuses every bundle when the configured key holds the private part', async () => {
    const privateJwk = keys.privateKey.export({ format: 'jwk' }) as JsonWebKey;
    const error = await refusal(createBundleVerifier(privateJwk)(bytes, signBytes(text, keys)));
    expect(error).toMatchObject({ code: 'bundle-signature-invalid', message: expect.stringContaining('private key') });
  });

  it('refuses every bundle when the key is not a P-256 public JWK', async () => {
    await expect(refusal(createBundleVerifier('{not json')(bytes, signBytes(text, keys)))).resolves.toMatchObject({ message: expect.stringContaining('P-256 public JWK') });
    await expect(refusal(createBundleVerifier({ kty: 'RSA', n: 'x', e: 'AQAB' })(bytes, signBytes(text, keys)))).resolves.toMatchObject({ message: expect.stringContaining('P-256 public JWK') });
  });

  it('refuses with a clear message when WebCrypto is unavailable (an insecure origin)', async () => {
    vi.stubGlobal('crypto', undefined);
    const error = await refusal(createBundleVerifier(keys.publicJwk)(bytes, signBytes(text, keys)));
    expect(error).toMatchObject({ code: 'bundle-signature-invalid', message: expect.stringContaining('HTTPS') });
  });

  it('verifyBundleSignature answers false for a wrong signature rather than throwing', async () => {
    await expect(verifyBundleSignature(text + ' ', signBytes(text, keys), keys.publicJwk)).resolves.toBe(false);
  });
});

describe('decodeBase64', () => {
  it('decodes base64url and base64 to the same bytes', () => {
    const raw = Uint8Array.from([251, 255, 0, 62, 63]);
    expect(decodeBase64(Buffer.from(raw).toString('base64url'))).toEqual(raw);
    expect(decodeBase64(Buffer.from(raw).toString('base64'))).toEqual(raw);
  });

  it('decodes every length with or without padding, and allows surrounding whitespace', () => {
    for (let length = 0; length <= 4; length++) {
      const raw = Uint8Array.from({ length }, (_, i) => 250 + i);
      const padded = Buffer.from(raw).toString('base64');
      expect(decodeBase64(padded)).toEqual(raw);
      expect(decodeBase64(` ${padded.replace(/=+$/, '')}\n`)).toEqual(raw);
      expect(decodeBase64(Buffer.from(raw).toString('base64url'))).toEqual(raw);
    }
  });

  it('returns undefined for text that is not base64', () => {
    expect(decodeBase64('a*b')).toBeUndefined();
    expect(decodeBase64('abcde')).toBeUndefined();
  });
});
