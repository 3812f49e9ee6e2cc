/**
 * Where the visitor is, as the site says (its CDN or server knows the country from the request):
 * never looked up from a third party. Given to createAttune as `location`, or written into the
 * page as `<meta name="attune-country" content="FR">` and `<meta name="attune-region" content="FR-IDF">`.
 */
export interface PageLocation {
  /** ISO 3166-1 alpha-2, upper case ("FR"). */
  country?: string;
  /** The site's region code, as given (ISO 3166-2 such as "FR-IDF" is the usual choice). */
  region?: string;
}

const COUNTRY = /^[A-Za-z]{2}$/;
const MAX_REGION = 64;

/**
 * The location of a hint (an object with `country` / `region` strings); what does not fit is left
 * out and `warn`ed: a country that is not two letters, a region that is empty or over 64 characters.
 */
export function locationOf(hint: { country?: unknown; region?: unknown }, warn: (message: string) => void): PageLocation {
  const location: PageLocation = {};
  const { country, region } = hint;
  if (typeof country === 'string' && COUNTRY.test(country.trim())) location.country = country.trim().toUpperCase();
  else if (country !== undefined && country !== null && country !== '') warn(`the location's country must be a two-letter ISO 3166-1 code such as "FR", not ${JSON.stringify(country)}: left out.`);
  if (typeof region === 'string' && region.trim() && region.trim().length <= MAX_REGION) location.region = region.trim();
  else if (region !== undefined && region !== null && region !== '') warn(`the location's region must be a text of at most ${MAX_REGION} characters, not ${JSON.stringify(region)}: left out.`);
  return location;
}

/** The location the page's `attune-country` / `attune-region` meta tags give (none outside a browser). */
export function locationFromPage(warn: (message: string) => void): PageLocation {
  const doc = (globalThis as Partial<typeof globalThis>).document;
  if (!doc?.querySelector) return {};
  const meta = (name: string) => doc.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  return locationOf({ country: meta('attune-country'), region: meta('attune-region') }, warn);
}
