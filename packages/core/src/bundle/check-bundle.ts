import { banditProblems } from '../models/bandit/check-bandit.js';
import { compileBundle } from '../decide/compile-standalone.js';
import { AttuneError } from '../errors.js';
import { modelProblems } from '../models/check-model.js';
import { triggerProblems } from '../triggers/check-trigger.js';
import { featureReader } from '../models/read-features.js';
import { recommenderProblems } from '../models/recommend/check-recommender.js';
import type { Bundle } from './schema.js';
import { validateBundle } from './validate-bundle.js';

/** Each problem of each entry, as `field[i] ("id"): problem`. */
const named = <T extends { id: string }>(list: readonly T[] | undefined, field: string, problems: (entry: T) => string[]): string[] =>
  (list ?? []).flatMap((entry, i) => problems(entry).map((problem) => `${field}[${i}] ("${entry.id}"): ${problem}`));

/**
 * Runs every check a browser runs on a parsed bundle (schema, references, rules compiled) and
 * returns it typed; throws `AttuneError` (`bundle-invalid`, `bundle-rule-invalid`) naming each
 * problem, models, recommenders and bandits included (modelProblems, recommenderProblems,
 * banditProblems; feature and recommender rules compiled). For build steps and CI
 * (`attune validate`); the client runs the bundle's checks in steps (check-steps.ts), and a
 * model's, a recommender's or a bandit's where it is compiled (compileModel, compileRecommender,
 * compileBandit). A catalog file is checked when fetched (verifyCatalog).
 */
export function checkBundle(value: unknown): Bundle {
  const bundle = validateBundle(value);
  const problems = [
    ...named(bundle.models, 'models', modelProblems),
    ...named(bundle.recommenders, 'recommenders', recommenderProblems),
    ...named(bundle.experiences, 'experiences', banditProblems),
    ...named(bundle.triggers, 'triggers', triggerProblems),
  ];
  if (problems.length > 0) throw new AttuneError('bundle-invalid', `The bundle was rejected. Fix: ${problems.join('; ')}`);
  const compiled = compileBundle(bundle);
  for (const model of bundle.models ?? []) featureReader(model.features, compiled.compile, `model "${model.id}"`);
  for (const { id, rule } of bundle.recommenders ?? []) if (rule !== undefined) compiled.compile(rule, `recommender "${id}" rule`);
  return compiled.bundle;
}
