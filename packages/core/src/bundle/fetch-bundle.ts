import { AttuneError } from '../errors.js';

/** What the network said about a bundle: unchanged (304), or its exact bytes and detached signature. */
export type FetchedBundle =
  | { kind: 'unchanged' }
  | { kind: 'fetched'; bytes: Uint8Array; signature: string | undefined; etag: string | undefined };

export interface FetchBundleOptions {
  /** ETag of the cached copy: sent as If-None-Match, so an unchanged bundle costs a 304. */
  etag?: string | undefined;
  /** Where the detached signature is (fetched alongside the bundle); none when no key is configured. */
  signatureUrl?: string | undefined;
}

const failed = (message: string, cause?: unknown): AttuneError => new AttuneError('bundle-fetch-failed', message, cause);

async function request(fetchImpl: typeof fetch, url: string, etag: string | undefined): Promise<Response> {
  if (etag === undefined) return fetchImpl(url, { credentials: 'omit' });
  try {
    return await fetchImpl(url, { credentials: 'omit', headers: { 'if-none-match': etag } });
  } catch {
    // If-None-Match makes a cross-origin request need a CORS preflight, which a CDN may refuse:
    // ask once more without it rather than stay on the cached copy for ever.
    return fetchImpl(url, { credentials: 'omit' });
  }
}

/** The signature text, or undefined when there is none (404: an unsigned bundle). */
async function fetchSignature(fetchImpl: typeof fetch, url: string): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'omit' });
  } catch (cause) {
    throw failed(`Could not fetch the bundle signature ${url}.`, cause);
  }
  if (response.status === 404 || response.status === 410) return undefined;
  if (!response.ok) throw failed(`Fetching the bundle signature ${url} answered ${response.status}.`);
  return response.text();
}

/**
 * Fetches a bundle (conditionally when an ETag is known) and, when asked, its detached signature
 * in parallel. The bytes are kept exactly as served: they are what the signature covers.
 * Throws `bundle-fetch-failed`.
 */
export async function fetchBundle(fetchImpl: typeof fetch, url: string, options: FetchBundleOptions = {}): Promise<FetchedBundle> {
  const signature = options.signatureUrl === undefined ? Promise.resolve(undefined) : fetchSignature(fetchImpl, options.signatureUrl);
  signature.catch(() => {}); // Awaited below, unless the bundle request fails first.
  let response: Response;
  try {
    response = await request(fetchImpl, url, options.etag);
  } catch (cause) {
    throw failed(`Could not fetch the bundle ${url}.`, cause);
  }
  if (response.status === 304 && options.etag !== undefined) return { kind: 'unchanged' };
  if (!response.ok) throw failed(`Fetching the bundle ${url} answered ${response.status}.`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw failed(`The bundle ${url} could not be read completely.`, cause);
  }
  return { kind: 'fetched', bytes, signature: await signature, etag: response.headers.get('etag') ?? undefined };
}
