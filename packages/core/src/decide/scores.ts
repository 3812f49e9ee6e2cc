/**
 * The `score` operator of a bundle's rules with the bundle's models: `{"score": "model-id"}` is
 * the score of the model of that id for the rule's data (`{ context, profile }`). This is a part
 * the client loads only for bundles that have models (see client/load-parts.ts); a model that
 * cannot be used makes only the rules that read it fail.
 */
import { AttuneError, errorMessage } from '../errors.js';
import type { BundleModel } from '../bundle/schema.js';
import { compileCheckedModel } from '../models/compile-model.js';
import type { CompileRead } from '../models/read-features.js';
import { dataNode, type Builder } from '../rules/node.js';
import type { PassHost } from '../rules/pass-host.js';
import { arity, constantString, fail } from '../rules/rule-args.js';
import type { BundleScores } from './types.js';

const idOf = (model: unknown): unknown => (model !== null && typeof model === 'object' ? (model as { id?: unknown }).id : undefined);

/**
 * @param models - The bundle's `models[]`, their shape checked (by the device check).
 * @param host - The pass host: a score is computed once per pass and data.
 */
export function createBundleScores(models: readonly unknown[], host: Pick<PassHost, 'perData'>): BundleScores {
  const ids = new Set(models.map(idOf).filter((id): id is string => typeof id === 'string'));
  const scorers = new Map<string, (data: unknown) => number>();
  /** Models being scored now: a model whose features read its own score (directly or not) fails instead of recursing. */
  const scoring = new Set<string>();

  const builder: Builder = (args) => {
    arity('score', args, 1, 1, '["model-id"]');
    const arg = args[0]!;
    constantString('score', arg, 'the model id');
    if (!arg.constant) fail('score', 'the model id must be a constant string.');
    const id = arg.value as string;
    if (!ids.has(id)) fail('score', `the bundle has no model "${id}" (models[] ids: ${[...ids].join(', ') || 'none'}).`);
    return dataNode(args, (data) => score(id, data));
  };

  function score(id: string, data: unknown): number {
    const scorer = scorers.get(id);
    if (!scorer) throw new AttuneError('model-invalid', `the bundle has no model "${id}"`);
    return scorer(data);
  }

  function compileAll(compile: CompileRead): void {
    for (const model of models) {
      const id = idOf(model) as string;
      let scorer: (data: unknown) => number;
      try {
        const compiled = compileCheckedModel(model as BundleModel, compile);
        scorer = (data) => {
          if (scoring.has(id)) throw new AttuneError('model-invalid', `model "${id}" reads its own score`);
          scoring.add(id);
          try {
            return compiled.score(data);
          } finally {
            scoring.delete(id);
          }
        };
      } catch (cause) {
        const error = new AttuneError('model-invalid', `model "${id}" cannot score: ${errorMessage(cause)}`, cause);
        scorer = () => {
          throw error;
        };
      }
      scorers.set(id, host.perData(`m\n${id}`, scorer));
    }
  }

  return {
    builder,
    compileAll,
    score,
  };
}
