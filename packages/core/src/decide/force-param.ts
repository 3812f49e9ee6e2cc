/** The URL parameter QA uses to force variants: `?attune_force=hero-test:reminder,cta-test:green`. */
export const FORCE_PARAM = 'attune_force';

/**
 * Reads forced variants (experiment id → variant id) from a query string. Pairs are separated by
 * commas (or repeated parameters); a pair without a ":" or with an empty side is ignored. The
 * variant is everything after the first ":" so multivariate keys (`headline=b|button=green`) work.
 */
export function parseForceParam(search: string): Record<string, string> {
  // No prototype: an experiment named "__proto__" is a key like any other (then reported as unknown).
  const forced: Record<string, string> = Object.create(null);
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(search);
  } catch {
    return forced;
  }
  for (const value of params.getAll(FORCE_PARAM)) {
    for (const pair of value.split(',')) {
      const colon = pair.indexOf(':');
      const experiment = pair.slice(0, colon).trim();
      const variant = pair.slice(colon + 1).trim();
      if (colon > 0 && experiment && variant) forced[experiment] = variant;
    }
  }
  return forced;
}
