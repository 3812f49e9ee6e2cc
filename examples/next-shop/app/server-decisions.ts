import { createServerDecider, type ServerDecisions } from '@attune/core/server';
import { cookies, headers } from 'next/headers';
import bundle from '../../bundles/shop.json';

// One decider per bundle: it checks and compiles the bundle once. (A real site would load the
// bundle it publishes to its CDN, and make a new decider when it changes.)
const decider = createServerDecider(bundle);

/** Where the browser fetches the bundle and sends events: the dev collector (ATTUNE_COLLECTOR). */
export const collector = () => process.env.ATTUNE_COLLECTOR ?? 'http://127.0.0.1:8787';

/** This request's decisions for the page at `path` (with the query the page received). */
export async function decide(path: string, query: Record<string, string | string[] | undefined>): Promise<ServerDecisions> {
  const request = await headers();
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const item of [value ?? []].flat()) search.append(key, item);
  const url = new URL(path, `http://${request.get('host') ?? 'localhost'}`);
  url.search = search.toString();
  return decider.decide({
    url,
    acceptLanguage: request.get('accept-language'),
    // The id cookie the browser keeps while personalization is granted (AttuneProvider idCookie).
    cookie: (await cookies()).toString(),
  });
}
