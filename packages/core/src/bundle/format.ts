/*
 * What the device needs of the bundle format at run time, kept apart from the zod schema
 * (schema.ts) so that importing these does not pull zod into the browser build.
 */

/** What an experiment's assignment records for visitors in its holdout group: no arm may have this id. */
export const HOLDOUT = 'holdout';

/** A version as a string: 1 to 15 digits. */
export const VERSION_DIGITS = /^\d{1,15}$/;

/** The bundle's version as a number (`"42"` and `42` are the same version). */
export function bundleVersion(bundle: { version: number | string }): number {
  return typeof bundle.version === 'number' ? bundle.version : Number(bundle.version);
}
