import type { AttuneOptions } from './types.js';
import { AttuneError, describeValue } from '../errors.js';

/** The options of each type (`typeof`, objects not null); the others are passed on unchecked. */
const TYPED = {
  string: 'collectorUrl bundleUrl bundleSignatureUrl profileUrl writeKey bundleSignature databaseName gpc',
  number: 'flushIntervalMs requestTimeoutMs bufferBeforeConsent batchSize maxBundleBytes',
  object: 'headers queue profile environment location',
  boolean: 'sendRawIdentifiers',
  function: 'onError adapter',
};

/**
 * The options `createAttune` was given, without the ones of the wrong type (each reported as
 * `argument-invalid`): a mistake in one option never stops the SDK, it runs on that option's default.
 */
export function checkOptions(given: unknown, report: (error: AttuneError) => void): AttuneOptions {
  const problem = (what: string) => report(new AttuneError('argument-invalid', `createAttune(options): ${what}; using the default.`));
  if (given === undefined) return {};
  if (given === null || typeof given !== 'object') {
    problem(`options must be an object, not ${describeValue(given)}`);
    return {};
  }
  const options: Record<string, unknown> = { ...given };
  for (const [type, names] of Object.entries(TYPED)) {
    for (const name of names.split(' ')) {
      const value = options[name];
      if (value === undefined || (typeof value === type && value !== null && !(type === 'number' && !((value as number) >= 0)))) continue;
      delete options[name];
      problem(`${name} must be ${type === 'object' ? 'an' : 'a'} ${type}, not ${describeValue(value)}`);
    }
  }
  return options as AttuneOptions;
}
