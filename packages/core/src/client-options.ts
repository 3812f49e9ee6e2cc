import type { AttuneOptions } from './client-types.js';
import { AttuneError, describeValue } from './errors.js';

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isObject: Check = (v) => v !== null && typeof v === 'object';
const isObjectOrString: Check = (v) => isString(v) || isObject(v);
const atLeast = (min: number): Check => (v) => typeof v === 'number' && v >= min && v < Infinity;

/** What each option must be; an option that is not is left out (its default applies). */
const CHECKS: Record<string, [Check, string]> = {
  collectorUrl: [isString, 'a URL string'],
  bundleUrl: [isString, 'a URL string'],
  bundleSignatureUrl: [isString, 'a URL string'],
  profileUrl: [isString, 'a URL string'],
  writeKey: [isString, 'a string'],
  bundleSignature: [isString, 'a string'],
  databaseName: [isString, 'a string'],
  bundle: [isObjectOrString, 'an object or its JSON text'],
  bundleKey: [isObjectOrString, 'a JWK object or its JSON text'],
  adapter: [isObject, 'an adapter object'],
  headers: [isObject, 'an object of header names and values'],
  queue: [isObject, 'an object such as { maxEvents: 1000 }'],
  profile: [isObject, 'an object of profile rules'],
  environment: [isObject, 'an object'],
  tcf: [(v) => v === false || isObject(v), 'false or an object'],
  purposes: [Array.isArray, 'a list of names, such as ["ads"]'],
  flushIntervalMs: [atLeast(0), 'a number of milliseconds'],
  requestTimeoutMs: [atLeast(1), 'a number of milliseconds'],
  batchSize: [(v) => Number.isInteger(v) && (v as number) >= 1, 'a whole number of events, at least 1'],
  bufferBeforeConsent: [atLeast(0), 'a number of events'],
  gpc: [(v) => v === 'respect' || v === 'ignore', '"respect" or "ignore"'],
  sendRawIdentifiers: [(v) => typeof v === 'boolean', 'true or false'],
  onError: [(v) => typeof v === 'function', 'a function'],
};

/**
 * The options `createAttune` was given, without the ones of the wrong type (each reported as
 * `argument-invalid`): a typo in one option never stops the SDK, it runs on that option's default.
 */
export function checkOptions(given: unknown, report: (error: AttuneError) => void): AttuneOptions {
  if (given === undefined) return {};
  if (!isObject(given)) {
    report(new AttuneError('argument-invalid', `createAttune(options): options must be an object, not ${describeValue(given)}; starting with the defaults.`));
    return {};
  }
  const options: Record<string, unknown> = { ...(given as object) };
  for (const name of Object.keys(options)) {
    const value = options[name];
    const check = CHECKS[name];
    if (value === undefined || !check || check[0](value)) continue;
    delete options[name];
    report(new AttuneError('argument-invalid', `createAttune(options): ${name} must be ${check[1]}, not ${describeValue(value)}; using its default.`));
  }
  return options as AttuneOptions;
}
