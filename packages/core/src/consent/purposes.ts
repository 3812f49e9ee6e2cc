import { AttuneError, describeValue } from '../errors.js';
import { ALL_PURPOSES, PURPOSE_NAME, type Purpose } from './consent.js';

type Report = (error: AttuneError) => void;

/** The site's own purposes from the `purposes` option; names that cannot be purposes are reported and left out. */
export function sitePurposesOf(requested: readonly string[] | undefined, report: Report): string[] {
  const site: string[] = [];
  if (requested !== undefined && !Array.isArray(requested)) {
    report(new AttuneError('argument-invalid', `createAttune(options): purposes must be a list of names, such as ["ads"], not ${describeValue(requested)}; using none.`));
  }
  for (const purpose of Array.isArray(requested) ? requested : []) {
    if (PURPOSE_NAME.test(purpose) && !(ALL_PURPOSES as readonly string[]).includes(purpose)) site.push(purpose);
    else report(new AttuneError('consent-invalid', `The purpose ${JSON.stringify(purpose)} was ignored: a site purpose is 1 to 40 of a-z, 0-9, - and _, and not analytics or personalization.`));
  }
  return site;
}

/**
 * The purposes a grant or deny names that this site knows (one purpose or a list; none given:
 * all); the others are reported and skipped, so a mistaken call changes nothing it did not name.
 */
export function askedPurposes(asked: unknown, known: readonly Purpose[], report: Report): Purpose[] {
  if (asked === undefined) return [...known];
  const purposes: unknown[] = typeof asked === 'string' ? [asked] : Array.isArray(asked) ? asked : [];
  if (typeof asked !== 'string' && !Array.isArray(asked)) {
    report(new AttuneError('consent-invalid', `Consent was not changed: give a purpose or a list of purposes (none: all), not ${describeValue(asked)}.`));
  }
  const unknown = purposes.filter((purpose) => !known.includes(purpose as Purpose));
  if (unknown.length > 0) {
    report(new AttuneError('consent-invalid', `Unknown consent purpose(s) ${unknown.map(describeValue).join(', ')} ignored: declare site purposes with the purposes option (known: ${known.join(', ')}).`));
  }
  return purposes.filter((purpose): purpose is Purpose => known.includes(purpose as Purpose));
}
