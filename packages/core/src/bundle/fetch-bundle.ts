import { AttuneError } from '../errors.js';

/** A bundle as served: its exact bytes (what the signature covers), detached signature and ETag. */
export interface FetchedBundle {
  bytes: Uint8Array;
  signature: string | undefined;
  etag: string | undefined;
}

/** GET without credentials; rejects with `bundle-fetch-failed` only when there is no answer. */
async function request(fetchImpl: typeof fetch, url: string, etag?: string): Promise<Response> {
  try {
    return await fetchImpl(url, { credentials: 'omit', ...(etag && { headers: { 'if-none-match': etag } }) });
  } catch (cause) {
    // If-None-Match makes a cross-origin request need a CORS preflight, which a CDN may refuse:
    // ask once more without it rather than stay on the cached copy for ever.
    if (etag) return request(fetchImpl, url);
    throw new AttuneError('bundle-fetch-failed', `Could not fetch ${url}.`, cause);
  }
}

const answered = (url: string, status: number): AttuneError => new AttuneError('bundle-fetch-failed', `Fetching ${url} answered ${status}.`);

/**
 * Fetches a bundle, conditionally when `etag` (of the cached copy) is given: resolves to undefined
 * on 304. With `signatureUrl`, the detached signature is fetched in parallel (a 404 there means
 * the bundle is unsigned). Throws `bundle-fetch-failed`.
 */
export async function fetchBundle(fetchImpl: typeof fetch, url: string, etag: string | undefined, signatureUrl: string | undefined): Promise<FetchedBundle | undefined> {
  const signature = signatureUrl ? request(fetchImpl, signatureUrl) : undefined;
  signature?.catch(() => {}); // Awaited below, unless the bundle request fails first.
  const response = await request(fetchImpl, url, etag);
  if (response.status === 304 && etag) return undefined;
  if (!response.ok) throw answered(url, response.status);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const signed = await signature;
  if (signed && !signed.ok && signed.status !== 404) throw answered(signatureUrl!, signed.status);
  return { bytes, signature: signed?.ok ? await signed.text() : undefined, etag: response.headers.get('etag') ?? undefined };
}
