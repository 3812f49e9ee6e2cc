// attune model import-xgboost | import-sklearn: a trained model into a bundle's models[].
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, formatJson, loadCore, readJsonFile, required } from './cli-support.mjs';
import { fromSklearn, fromXgboost } from './model-import.mjs';

const IMPORTS = {
  'import-xgboost': { convert: fromXgboost, source: 'XGBoost model', file: '<model.json>' },
  'import-sklearn': { convert: fromSklearn, source: 'scikit-learn coefficients', file: '<coef.json>' },
};

/** A bundle holding only `model`, to check the entry as browsers would when no bundle is given. */
const bundleOf = (model) => ({ schema: 'attune.bundle/1', id: 'model-import', version: 0, experiences: [], content: {}, models: [model] });

/**
 * attune model <import-xgboost|import-sklearn> <file> --id <id> --features <features.json>
 * [--bundle <bundle.json>] [--out <file>]: converts the model, checks it as browsers do (with
 * @attune/core), then puts it into the bundle's models[] (replacing the entry of that id) or
 * prints the entry. Warnings go to stderr, so the printed entry can be piped.
 */
export async function importModel(command, file, { id, features, bundle, out }, print, warn) {
  const known = Object.hasOwn(IMPORTS, command) ? IMPORTS[command] : undefined;
  if (!known) throw new CliError(`unknown model command "${command ?? ''}": use attune model import-xgboost or attune model import-sklearn`, 2);
  const usage = `attune model ${command} ${known.file} --id <model id> --features <features.json> [--bundle <bundle.json>] [--out <file>]`;
  for (const value of [file, id, features]) required(value, usage);
  const source = readJsonFile(resolve(file), known.source);
  const mapping = readJsonFile(resolve(features), 'feature mapping');
  const { model, warnings } = known.convert(source, mapping, id);
  for (const warning of warnings) warn(`warning: ${warning}`);

  const target = bundle === undefined ? undefined : readJsonFile(resolve(bundle), 'bundle');
  if (target !== undefined) {
    if (target === null || typeof target !== 'object' || Array.isArray(target)) throw new CliError(`the bundle ${bundle} is not a JSON object`);
    const models = Array.isArray(target.models) ? target.models : [];
    const at = models.findIndex((entry) => entry?.id === id);
    target.models = at >= 0 ? models.with(at, model) : [...models, model];
  }
  const core = await loadCore();
  try {
    core.checkBundle(target ?? bundleOf(model));
  } catch (error) {
    throw new CliError(`the imported model does not check out (${error.code ?? 'invalid'}): ${error.message}`);
  }
  const size = model.type === 'logistic' ? `${model.features.length} features` : `${model.trees.length} trees, ${model.features.length} features`;
  if (target === undefined && out === undefined) return print(JSON.stringify(model));
  const path = resolve(out ?? bundle);
  writeFileSync(path, `${formatJson(target ?? model)}\n`);
  print(`Wrote model "${id}" (${size}) ${target === undefined ? 'to' : 'into the bundle'} ${path}`);
}
