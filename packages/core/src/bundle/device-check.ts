import { any, array, object, oneOf, record, string, number, type Check } from '../shape-check.js';
import { acceptBundle, openProblems } from './bundle-checks.js';
import type { Bundle } from './schema.js';

/*
 * The browser's bundle check: the zod schema (schema.ts) spelled with the compact checks of
 * shape-check.ts, key for key, so that the device carries no zod. A differential test
 * (test/bundle/device-check.test.ts) holds it to accepting no bundle that validateBundle rejects.
 */

/** 1 to 200 characters: the ids of the bundle format (and of hydrated segments and users). */
export const ID = string(1, 200);
/** Checked to be a real date-time by the semantic checks. */
const DATE_TIME = string();
const RULED = array(object({ id: ID, when: any }));
const ARMS = array(object({ id: ID, 'weight?': number(0), content: ID }), 1);
const SHARE = number(0, 1);
const EXTENSION = array(object({ id: ID }, true));

const BUNDLE = object({
  schema: oneOf('attune.bundle/1'),
  id: ID,
  // The version and caps are checked by openProblems, as for validateBundle.
  version: any,
  'generatedAt?': DATE_TIME,
  'expiresAt?': DATE_TIME,
  'segments?': RULED,
  'stages?': RULED,
  experiences: array(
    object({
      id: ID,
      slot: ID,
      'priority?': number(),
      'audience?': object({ 'segment?': ID, 'rule?': any }),
      'schedule?': object({ 'start?': DATE_TIME, 'end?': DATE_TIME }),
      'cap?': any,
      'group?': ID,
      'experiment?': object({
        id: ID,
        'unit?': oneOf('anonymousId', 'userId'),
        'traffic?': SHARE,
        'holdout?': SHARE,
        'factors?': array(object({ id: ID, levels: ARMS }), 1),
      }),
      variants: ARMS,
      'default?': ID,
    }),
  ),
  content: record(object({ type: oneOf('text', 'json'), value: any, 'meta?': record(any) })),
  'models?': EXTENSION,
  'recommenders?': EXTENSION,
  'triggers?': EXTENSION,
});

/**
 * What `validateBundle` does, without zod: returns the bundle as zod's parse would (known keys
 * only), or throws `AttuneError('bundle-invalid')` listing every problem with its path.
 */
export function validateBundleOnDevice(value: unknown): Bundle {
  const problems: string[] = [];
  const report = (problem: string): void => void problems.push(problem);
  openProblems(value, report);
  return acceptBundle(BUNDLE(value, '', report), problems);
}
