/**
 * What a rule reads that only the device knows, judged from its JSON (conservatively: any doubt is
 * the device). A server sees the request: the page URL (so its path, query and campaign),
 * Accept-Language and the location it was given (ServerRequest.location); never the profile, the device's clock or screen, the title or the referrer.
 */
const SERVER_KNOWN = ['context.page.url', 'context.page.path', 'context.page.search', 'context.campaign', 'context.locale', 'context.channel', 'context.location'];

/** Operators over the visitor's history (or data paths given as strings); `score` reads a model's features (conservatively: the profile). */
const HISTORY = ['count', 'since', 'first_seen', 'last_seen', 'affinity', 'missing', 'missing_some', 'score'];

const knownOnServer = (path: unknown): boolean => typeof path === 'string' && SERVER_KNOWN.some((known) => path === known || path.startsWith(known + '.'));

/**
 * Why `rule` needs the device (e.g. `reads profile.counters.product_viewed`), or undefined when a
 * server can evaluate it from the request. `segment(id)` says the same of a segment it refers to.
 */
export function deviceRead(rule: unknown, segment: (id: string) => string | undefined): string | undefined {
  if (Array.isArray(rule)) {
    for (const item of rule) {
      const why = deviceRead(item, segment);
      if (why) return why;
    }
    return undefined;
  }
  if (rule === null || typeof rule !== 'object') return undefined;
  for (const [op, args] of Object.entries(rule)) {
    const first: unknown = Array.isArray(args) ? args[0] : args;
    let why: string | undefined;
    if (op === 'var') why = knownOnServer(first) ? undefined : `reads ${typeof first === 'string' && first ? first : 'data by a computed path'}`;
    else if (op === 'segment') why = typeof first === 'string' ? segment(first) : 'names a segment from data';
    else if (HISTORY.includes(op)) why = `uses ${op}`;
    else if ((op === 'hour' || op === 'weekday') && first == null) why = `uses ${op} in the device's time zone`;
    why ??= deviceRead(args, segment);
    if (why) return why;
  }
  return undefined;
}

/**
 * `segment(id)` for a bundle's segments: why each needs the device (memoized); an id the bundle
 * does not define is read from the profile's hydrated segments.
 */
export function segmentReads(segments: readonly { id: string; when: unknown }[]): (id: string) => string | undefined {
  const rules = new Map(segments.map((s) => [s.id, s.when]));
  const found = new Map<string, string | undefined>();
  const segment = (id: string): string | undefined => {
    if (!rules.has(id)) return `reads the profile's segments ("${id}" is not a bundle segment)`;
    if (!found.has(id)) {
      found.set(id, 'refers to itself'); // a cycle: never decided on the server
      const why = deviceRead(rules.get(id), segment);
      found.set(id, why && `segment "${id}" ${why}`);
    }
    return found.get(id);
  };
  return segment;
}
