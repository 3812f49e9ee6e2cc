/**
 * How the client waits for its parts (load-parts.ts): the models part before a bundle that needs
 * it compiles, the recommendations part on the first list asked for, the triggers part once a
 * bundle with triggers serves. Each answers something sensible meanwhile and if it cannot load.
 */
import type { BundleParts } from '../decide/compile-bundle.js';
import type { CompiledBundle } from '../decide/types.js';
import { AttuneError, errorMessage, type AttuneErrorCode } from '../errors.js';
import type { TriggerDeps } from '../triggers/triggers-part.js';
import { loadExperiments, loadModels, loadOperators, loadRecommend, loadTriggers, type TriggersPart } from './load-parts.js';
import { bundleRules, usesExtraOperators } from '../rules/extra-operator-names.js';
import type { RecommendationDeps, RecommendationList, RecommendCallOptions, RecommendPart } from './recommendations.js';

/** Whether a bundle (parsed, maybe not valid yet) needs the models part: it has models[] or a bandit. */
export function needsModels(value: unknown): boolean {
  const { models, experiences } = (value ?? {}) as { models?: unknown; experiences?: unknown };
  const bandit = Array.isArray(experiences) && experiences.some((experience) => (experience as { experiment?: { allocation?: unknown } } | null)?.experiment?.allocation);
  return (Array.isArray(models) && models.length > 0) || bandit;
}

/** Whether a bundle (parsed, maybe not valid yet) needs the experiments part: an experience has an experiment. */
export function needsExperiments(value: unknown): boolean {
  const { experiences } = (value ?? {}) as { experiences?: unknown };
  return Array.isArray(experiences) && experiences.some((experience) => (experience as { experiment?: unknown } | null)?.experiment);
}

/** Whether a bundle (parsed, maybe not valid yet) needs the operators part: a rule uses one of its operators. */
export const needsOperators = (value: unknown): boolean => bundleRules(value).some(usesExtraOperators);

/** Starts loading a part now (see parts-hint.ts); a failure is reported when a bundle needs it. */
export function preload(load: () => Promise<unknown>): void {
  load().catch(() => undefined);
}

/**
 * The parts a bundle needs before it compiles, loaded together: the models part for models[] or a
 * bandit, the operators part for rules using one of its operators, the experiments part for an
 * experiment. One that cannot load is reported and left out (what needs it fails when it runs:
 * its default, reason `error`).
 */
export async function partsFor(value: unknown, report: (error: unknown, code: AttuneErrorCode) => void): Promise<BundleParts> {
  const unavailable = (what: string, code: AttuneErrorCode, serve: string) => (error: unknown) =>
    void report(new AttuneError(code, `The ${what} code could not be loaded (${errorMessage(error)}): ${serve} serve their default.`, error), code);
  const [models, operators, experiments] = await Promise.all([
    needsModels(value) ? loadModels().catch((error: unknown) => void report(error, 'model-invalid')) : undefined,
    needsOperators(value) ? loadOperators().catch(unavailable('rule operators', 'bundle-rule-invalid', 'rules using its operators')) : undefined,
    needsExperiments(value) ? loadExperiments().catch(unavailable('experiments', 'bundle-invalid', 'experiences in an experiment')) : undefined,
  ]);
  return { ...models, operators, experiments };
}

const LOADING: RecommendationList = Object.freeze({ items: [], fallback: false, status: 'loading' });

/** `client.recommend`: `loading` until the part is there (then the part answers), `unavailable` if it cannot load. */
export function lazyRecommend(deps: RecommendationDeps): (id: string, options?: RecommendCallOptions) => RecommendationList {
  let recommend: ReturnType<RecommendPart> | undefined;
  let loading = false;
  return (id, options) => {
    if (recommend) return recommend(id, options);
    if (!loading) {
      loading = true;
      loadRecommend().then(
        (part) => {
          recommend = part(deps);
          deps.notify();
        },
        (error: unknown) => {
          const message = `recommend(): the recommendations code could not be loaded (${errorMessage(error)})`;
          deps.report(new AttuneError('recommender-invalid', message, error));
          const unavailable = Object.freeze({ items: [], fallback: false, status: 'unavailable' as const, message });
          recommend = () => unavailable;
          deps.notify();
        },
      );
    }
    return LOADING;
  };
}

/**
 * The serving bundle's triggers: `check()` after every change runs them once `mayRun()` (the
 * stored firings are known, with personalization), loading the part for each new bundle.
 */
export function lazyTriggers(bundle: () => CompiledBundle | undefined, mayRun: () => boolean, deps: (bundle: CompiledBundle) => TriggerDeps, report: (error: unknown) => void) {
  let triggers: ReturnType<TriggersPart> | undefined;
  let triggersFor: CompiledBundle | undefined;
  return {
    check(): void {
      const serving = bundle();
      if (!serving?.bundle.triggers?.length || !mayRun()) return;
      if (triggersFor === serving) return triggers?.check();
      triggersFor = serving;
      triggers?.stop();
      triggers = undefined;
      loadTriggers().then((start) => {
        if (triggersFor !== serving) return;
        triggers = start(serving.bundle.triggers!, deps(serving));
        triggers.check();
      }, report);
    },
    stop: (): void => triggers?.stop(),
  };
}

/**
 * Starts a consent reader part (the IAB TCF listener, the Google Consent Mode reader) once it has
 * loaded, only on a page that has what it reads (`onPage`); a part that cannot load or start is
 * reported. Returns the function that stops it (called before the part loads: it never starts).
 */
export function lazyReader<Part>(onPage: boolean, load: () => Promise<Part>, start: (part: Part) => () => void, report: (error: unknown) => void): () => void {
  if (!onPage) return () => {};
  let stop: (() => void) | undefined;
  let stopped = false;
  load()
    .then((part) => {
      if (!stopped) stop = start(part);
    })
    .catch(report);
  return () => {
    stopped = true;
    stop?.();
  };
}
