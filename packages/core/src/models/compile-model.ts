import type { BundleModel } from '../bundle/schema.js';
import { MODEL } from '../bundle/device-check.js';
import { AttuneError, describeValue } from '../errors.js';
import { modelProblems } from './check-model.js';
import { packLogistic, scoreLogistic } from './logistic.js';
import { featureReader, type CompileRead } from './read-features.js';
import { packTreeEnsemble, scoreTreeEnsemble } from './tree-ensemble.js';

/** A `models[]` entry ready to score. */
export interface CompiledModel {
  readonly id: string;
  readonly model: BundleModel;
  /** Its features read from `{ context, profile }` (see featureReader: the array is reused). */
  readonly features: (data: unknown) => Float64Array;
  /** Its score for `{ context, profile }`: a probability (logistic link) or the regression's value. */
  readonly score: (data: unknown) => number;
}

/**
 * Checks a `models[]` entry (its shape as the bundle's check does, then modelProblems) and
 * compiles its features with `compile` once. Throws AttuneError `model-invalid` listing every
 * problem; a feature rule that does not compile throws what `compile` throws.
 */
export function compileModel(value: unknown, compile: CompileRead): CompiledModel {
  const problems: string[] = [];
  MODEL(value, '', (problem) => void problems.push(problem));
  if (problems.length > 0) throw invalid(value, problems);
  return compileCheckedModel(value as BundleModel, compile);
}

const invalid = (value: unknown, problems: readonly string[]): AttuneError =>
  new AttuneError('model-invalid', `The model ${describeValue((value as { id?: unknown } | null)?.id)} cannot be used. Fix: ${problems.join('; ')}`);

/**
 * {@link compileModel} for a model whose shape is already checked (a bundle's, by the device
 * check): checks only what the shape does not say (modelProblems: sizes, tree structure).
 */
export function compileCheckedModel(model: BundleModel, compile: CompileRead): CompiledModel {
  const problems = modelProblems(model);
  if (problems.length > 0) throw invalid(model, problems);
  const features = featureReader(model.features, compile, `model "${model.id}"`);
  if (model.type === 'logistic') {
    const packed = packLogistic(model);
    return { id: model.id, model, features, score: (data) => scoreLogistic(packed, features(data)) };
  }
  const packed = packTreeEnsemble(model);
  return { id: model.id, model, features, score: (data) => scoreTreeEnsemble(packed, features(data)) };
}
