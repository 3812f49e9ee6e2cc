import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * Signing as a bundle author does it, with node:crypto (independent of the WebCrypto code under
 * test): ECDSA P-256, SHA-256, IEEE P1363 (r||s), base64url.
 */
export interface TestKeys {
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
}

export function makeKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) as JsonWebKey };
}

export function signBytes(bytes: string | Uint8Array, keys: TestKeys): string {
  return sign('sha256', typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, { key: keys.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** A fake static host: files by URL, ETags, 304 on If-None-Match; records every request. */
export interface FakeHost {
  fetch: typeof fetch;
  files: Map<string, { body: string | Uint8Array<ArrayBuffer>; etag?: string }>;
  requests: Array<{ url: string; ifNoneMatch: string | null }>;
  /** While set, every request fails like a network error. */
  offline: boolean;
  /** While set, requests wait for `release()`. */
  hold(): { release(): void };
}

export function fakeHost(): FakeHost {
  let gate: Promise<void> | undefined;
  const host: FakeHost = {
    files: new Map(),
    requests: [],
    offline: false,
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return { release: () => { gate = undefined; release(); } };
    },
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const ifNoneMatch = new Headers(init?.headers).get('if-none-match');
      host.requests.push({ url, ifNoneMatch });
      if (gate) await gate;
      if (host.offline) throw new TypeError('Failed to fetch');
      const file = host.files.get(url);
      if (!file) return new Response('not found', { status: 404 });
      if (file.etag !== undefined && ifNoneMatch === file.etag) return new Response(null, { status: 304, headers: { etag: file.etag } });
      return new Response(file.body, { status: 200, headers: file.etag !== undefined ? { etag: file.etag } : {} });
    }) as typeof fetch,
  };
  return host;
}
