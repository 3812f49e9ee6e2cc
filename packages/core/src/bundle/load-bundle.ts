import { AttuneError } from '../errors.js';
import { compileBundle, type CompiledBundle } from '../engine/compile-bundle.js';
import { validateBundle } from './validate-bundle.js';

/**
 * Fetches (or takes inline), validates and compiles a bundle. Throws an `AttuneError` with code
 * `bundle-fetch-failed`, `bundle-invalid` or `bundle-rule-invalid`; the caller then serves defaults.
 */
export async function loadBundle(source: string | object, fetchImpl: typeof fetch | undefined): Promise<CompiledBundle> {
  let value: unknown = source;
  if (typeof source === 'string') {
    if (!fetchImpl) throw new AttuneError('bundle-fetch-failed', `Cannot fetch the bundle ${source}: no fetch() in this environment. Pass the bundle object inline instead.`);
    let response: Response;
    try {
      response = await fetchImpl(source, { credentials: 'omit' });
    } catch (cause) {
      throw new AttuneError('bundle-fetch-failed', `Could not fetch the bundle ${source}; default content is served.`, cause);
    }
    if (!response.ok) throw new AttuneError('bundle-fetch-failed', `Fetching the bundle ${source} answered ${response.status}; default content is served.`);
    try {
      value = await response.json();
    } catch (cause) {
      throw new AttuneError('bundle-invalid', `The bundle ${source} is not valid JSON; default content is served.`, cause);
    }
  }
  return compileBundle(validateBundle(value));
}
