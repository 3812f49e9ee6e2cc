/**
 * `client.recommend(id, options)` once the recommendations part is loaded (see recommend-part.ts
 * and client/client.ts): a bundle recommender's list for the visitor, synchronous like decide().
 * The first call for a recommender prepares it (fetching and checking its catalog file, when it
 * has one) and answers `loading`; subscribers hear when the list is ready.
 */
import type { BundleRecommender } from '../bundle/schema.js';
import type { CompiledBundle } from '../decide/types.js';
import { AttuneError, describeValue, errorMessage } from '../errors.js';
import type { CompiledRecommender } from '../models/recommend/compile-recommender.js';
import { recommend as rank, type Recommendations } from '../models/recommend/recommend.js';
import { verifyCatalog } from '../models/recommend/catalog-file.js';
import { compileRecommender } from '../models/recommend/compile-recommender.js';
import type { ProfileSnapshot } from '../profile/profile.js';

/** A list, and whether it is the recommender's (`ready`), not yet (`loading`) or cannot be (`unavailable`, with `message`). */
export interface RecommendationList extends Recommendations {
  readonly status: 'ready' | 'loading' | 'unavailable';
  readonly message?: string;
}

export interface RecommendCallOptions {
  /** Items in the list: default the recommender's `limit`, at most 100. */
  limit?: number;
  /** Item ids never to recommend here, e.g. the product on the page. */
  exclude?: readonly string[];
}

export interface RecommendationDeps {
  bundle(): CompiledBundle | undefined;
  /** Whether the bundle is still loading (a recommender it may have is `loading`, not `unavailable`). */
  bundleLoading(): boolean;
  fetch: typeof globalThis.fetch | undefined;
  /** What a catalog file's URL is relative to: the bundle's URL (else the page's). */
  bundleUrl: string | undefined;
  /** The visitor's profile snapshot, or undefined without personalization consent (the popular list). */
  profile(): ProfileSnapshot | undefined;
  context(): unknown;
  report(error: AttuneError): void;
  notify(): void;
}

type State = { status: 'loading' } | { status: 'ready'; recommender: CompiledRecommender } | { status: 'unavailable'; message: string };

const EMPTY_PROFILE = Object.freeze({});

/** The bytes of a catalog file; rejects with AttuneError `recommender-invalid`. */
async function fetchCatalog(deps: RecommendationDeps, url: string): Promise<Uint8Array> {
  const href = new URL(url, deps.bundleUrl ?? (globalThis as Partial<typeof globalThis>).document?.baseURI).href;
  const failed = (why: string, cause?: unknown) => new AttuneError('recommender-invalid', `The catalog file ${href} could not be fetched (${why}).`, cause);
  if (!deps.fetch) throw failed('no fetch here');
  const response = await deps.fetch(href, { credentials: 'same-origin' }).catch((error: unknown) => {
    throw failed(errorMessage(error), error);
  });
  if (!response.ok) throw failed(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A bundle recommender ready to rank: its catalog file fetched and hash-checked when it has one. */
async function prepare(deps: RecommendationDeps, entry: BundleRecommender, compile: CompiledBundle['compile']): Promise<CompiledRecommender> {
  const items = entry.catalog ? await verifyCatalog(await fetchCatalog(deps, entry.catalog.url), entry.catalog.sha256) : undefined;
  return compileRecommender(entry, compile, items);
}

export function createRecommendations(deps: RecommendationDeps): (id: string, options?: RecommendCallOptions) => RecommendationList {
  /** Per compiled bundle (a new bundle starts afresh), recommender id → its state. */
  let forBundle: CompiledBundle | undefined;
  let states = new Map<string, State>();
  /** The last list of each call shape, returned again while nothing it reads changed (stable for UI frameworks). */
  let lists = new Map<string, { profile: unknown; context: unknown; list: RecommendationList }>();
  const told = new Set<string>();

  const list = (status: RecommendationList['status'], message?: string): RecommendationList =>
    Object.freeze(message === undefined ? { items: [], fallback: false, status } : { items: [], fallback: false, status, message });
  const LOADING = list('loading');

  function unavailable(message: string): RecommendationList {
    if (!told.has(message)) deps.report(new AttuneError('recommender-invalid', message));
    told.add(message);
    return list('unavailable', message);
  }

  function start(compiled: CompiledBundle, entry: BundleRecommender): void {
    states.set(entry.id, { status: 'loading' });
    const settle = (state: State): void => {
      if (forBundle !== compiled) return; // Another bundle serves now.
      states.set(entry.id, state);
      deps.notify();
    };
    prepare(deps, entry, compiled.compile).then(
      (recommender) => settle({ status: 'ready', recommender }),
      (error: unknown) => settle({ status: 'unavailable', message: `recommender "${entry.id}": ${errorMessage(error)}` }),
    );
  }

  function recommend(id: string, options: RecommendCallOptions = {}): RecommendationList {
    if (typeof id !== 'string') return unavailable(`recommend() takes a recommender id, not ${describeValue(id)}.`);
    const compiled = deps.bundle();
    if (compiled !== forBundle) {
      forBundle = compiled;
      states = new Map();
      lists = new Map();
    }
    if (!compiled) return deps.bundleLoading() ? LOADING : unavailable('recommend(): no bundle serves.');
    let state = states.get(id);
    if (!state) {
      const entry = compiled.bundle.recommenders?.find((recommender) => recommender.id === id);
      if (!entry) return unavailable(`recommend(): the bundle has no recommender "${id}".`);
      start(compiled, entry);
      state = states.get(id)!;
    }
    if (state.status === 'loading') return LOADING;
    if (state.status === 'unavailable') return unavailable(state.message);
    const profile = deps.profile() ?? EMPTY_PROFILE;
    const context = deps.context();
    const key = `${id}\n${options.limit}\n${Array.isArray(options.exclude) ? options.exclude.join('\n') : ''}`;
    const last = lists.get(key);
    if (last && last.profile === profile && last.context === context) return last.list;
    if (lists.size >= 64) lists.clear(); // Call shapes vary with the page (exclude): keep it bounded.
    const ranked = rank(state.recommender, profile, { limit: options.limit, exclude: options.exclude, context });
    const result: RecommendationList = Object.freeze({ ...ranked, status: 'ready' });
    lists.set(key, { profile, context, list: result });
    return result;
  }

  return recommend;
}

/** The part createAttune loads: createRecommendations. */
export type RecommendPart = typeof createRecommendations;
