import { compileBundle } from '../engine/compile-bundle.js';
import { AttuneError } from '../errors.js';
import { modelProblems } from '../models/check-model.js';
import { featureReader } from '../models/read-features.js';
import type { Bundle } from './schema.js';
import { validateBundle } from './validate-bundle.js';

/**
 * Runs every check a browser runs on a parsed bundle (schema, references, rules compiled) and
 * returns it typed; throws `AttuneError` (`bundle-invalid`, `bundle-rule-invalid`) naming each
 * problem, models included (modelProblems, and their feature rules compiled). For build steps and
 * CI (`attune validate`); the client runs the bundle's checks in steps (check-steps.ts), and a
 * model's where it is compiled (models/compile-model.ts).
 */
export function checkBundle(value: unknown): Bundle {
  const bundle = validateBundle(value);
  const models = bundle.models ?? [];
  const problems = models.flatMap((model, i) => modelProblems(model).map((problem) => `models[${i}] ("${model.id}"): ${problem}`));
  if (problems.length > 0) throw new AttuneError('bundle-invalid', `The bundle was rejected. Fix: ${problems.join('; ')}`);
  const compiled = compileBundle(bundle);
  for (const model of models) featureReader(model.features, compiled.compile, `model "${model.id}"`);
  return compiled.bundle;
}
