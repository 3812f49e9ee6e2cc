import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromSklearn, fromXgboost } from '../src/model-import.mjs';
import { runAttune } from './run-cli.js';

const fixtures = fileURLToPath(new URL('../../core/test/models/fixtures/', import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const mapping = fixture('features.json') as Record<string, unknown>;

type Json = Record<string, unknown>;

/** A small XGBoost document as save_model writes it: two features of three used, one tree. */
function xgboostDocument(change: (learner: Json) => void = () => undefined): Json {
  const tree = {
    left_children: [1, -1, -1],
    right_children: [2, -1, -1],
    split_indices: [2, 0, 0],
    split_conditions: [3.5, -0.25, 0.75],
    default_left: [1, 0, 0],
    split_type: [0, 0, 0],
    categories: [],
  };
  const learner: Json = {
    feature_names: ['a', 'b', 'c'],
    learner_model_param: { base_score: '5E-1', num_class: '0', num_feature: '3', num_target: '1' },
    objective: { name: 'binary:logistic' },
    gradient_booster: { name: 'gbtree', model: { tree_info: [0], trees: [tree] } },
    attributes: {},
  };
  change(learner);
  return { learner, version: [1, 7, 4] };
}
const booster = (learner: Json) => learner.gradient_booster as { name: string; model: { tree_info: number[]; trees: Json[] } };

const sklearnDocument = (fields: Json = {}): Json => ({ feature_names_in_: ['views_7d', 'vip'], coef_: [[0.5, 2]], intercept_: [-1], classes_: [0, 1], ...fields });

const error = (run: () => unknown): string => {
  try {
    run();
  } catch (caught) {
    return (caught as Error).message;
  }
  throw new Error('expected an error');
};

describe('fromXgboost', () => {
  it('keeps the features the trees split on, renumbered in the model\'s order, and the trees\' nodes as they are', () => {
    const { model } = fromXgboost(xgboostDocument(), { c: 'context.c', a: 'context.a' }, 'm');
    expect(model).toEqual({
      id: 'm',
      type: 'tree-ensemble',
      features: [{ name: 'c', from: 'context.c' }],
      trees: [{ feature: [0, 0, 0], value: [3.5, -0.25, 0.75], left: [1, -1, -1], right: [2, -1, -1], defaultLeft: [1, 0, 0] }],
      baseMargin: 0,
      link: 'logistic',
    });
  });

  it('names features f0, f1, ... when the model has no names, as XGBoost does', () => {
    const { model } = fromXgboost(xgboostDocument((learner) => (learner.feature_names = [])), { f2: 'context.c' }, 'm');
    expect(model.features).toEqual([{ name: 'f2', from: 'context.c' }]);
  });

  it('starts the margin at base_score as XGBoost reads it: the logit of a probability for logistic objectives, the value itself for regression', () => {
    const logistic = fromXgboost(xgboostDocument((learner) => ((learner.learner_model_param as Json).base_score = '2.5E-1')), { c: 'context.c' }, 'm').model;
    expect(logistic.baseMargin).toBeCloseTo(Math.log(1 / 3), 15);
    const regression = fromXgboost(
      xgboostDocument((learner) => {
        learner.objective = { name: 'reg:squarederror' };
        learner.learner_model_param = { base_score: '[2.5E-1]', num_feature: '3' };
      }),
      { c: 'context.c' },
      'm',
    ).model;
    expect(regression).toMatchObject({ baseMargin: 0.25, link: 'identity' });
  });

  it('takes declarations with a default, and one mapping file for several models', () => {
    const { model } = fromXgboost(xgboostDocument(), { c: { from: { count: 'purchase' }, default: 0 }, unused: 'context.x' }, 'm');
    expect(model.features).toEqual([{ name: 'c', from: { count: 'purchase' }, default: 0 }]);
  });

  it('names every model feature the mapping leaves out, and a declaration\'s unknown keys', () => {
    const document = xgboostDocument((learner) => (booster(learner).model.trees[0]!.split_indices = [0, 0, 0]));
    const two = xgboostDocument((learner) => booster(learner).model.trees.push({ ...booster(learner).model.trees[0], split_indices: [1, 0, 0] }));
    expect(error(() => fromXgboost(two, {}, 'm'))).toContain('the feature mapping has no entry for the model\'s feature(s) "b", "c"');
    expect(error(() => fromXgboost(document, { a: { from: 'x', defualt: 0 } }, 'm'))).toContain('the feature mapping\'s "a" has unknown key(s) "defualt"');
  });

  it('refuses what it cannot score the same way, saying why', () => {
    const cases: [(learner: Json) => void, string][] = [
      [(learner) => (learner.objective = { name: 'multi:softprob' }), 'the objective "multi:softprob" is not supported'],
      [(learner) => ((learner.learner_model_param as Json).num_class = '3'), 'several outputs'],
      [(learner) => (booster(learner).name = 'dart'), 'DART booster'],
      [(learner) => (booster(learner).name = 'gblinear'), 'Attune imports tree boosters'],
      [(learner) => (booster(learner).model.tree_info = [1]), 'multi-class or multi-target'],
      [(learner) => (booster(learner).model.trees[0]!.split_type = [1, 0, 0]), 'tree 0 has categorical splits'],
      [(learner) => delete booster(learner).model.trees[0]!.default_left, 'tree 0 has no default_left array'],
      [(learner) => ((learner.learner_model_param as Json).base_score = '1E0'), 'base_score "1E0" is not a probability'],
      [(learner) => (booster(learner).model.trees[0]!.split_indices = [7, 0, 0]), 'the trees split on feature(s) 7, which the model does not name'],
    ];
    for (const [change, message] of cases) expect(error(() => fromXgboost(xgboostDocument(change), mapping, 'm'))).toContain(message);
    expect(error(() => fromXgboost({ trees: [] }, mapping, 'm'))).toContain('not an XGBoost JSON model');
  });

  it('warns that trees past an early-stopping best iteration are imported too', () => {
    const document = xgboostDocument((learner) => {
      booster(learner).model.trees.push(booster(learner).model.trees[0]!);
      learner.attributes = { best_iteration: '0' };
    });
    expect(fromXgboost(document, { c: 'context.c' }, 'm').warnings).toEqual([expect.stringContaining('early stopping (best_iteration 0): all 2 trees are imported')]);
  });
});

describe('fromSklearn', () => {
  it('takes coef_, intercept_ and the scaler\'s mean_ and scale_ per feature', () => {
    const { model } = fromSklearn(sklearnDocument({ scaler: { mean_: [3, 0.1], scale_: [2, 0.3] } }), mapping, 'm');
    expect(model).toEqual({
      id: 'm',
      type: 'logistic',
      features: [
        { name: 'views_7d', from: mapping.views_7d, mean: 3, scale: 2 },
        { name: 'vip', from: mapping.vip, mean: 0.1, scale: 0.3 },
      ],
      weights: [0.5, 2],
      intercept: -1,
    });
  });

  it('takes a flat coef_, no scaler, a scaler that does not center, and names x0, x1, ... without feature names', () => {
    expect(fromSklearn({ coef_: [1], intercept_: 0.5 }, { x0: 'context.a' }, 'm').model).toEqual({ id: 'm', type: 'logistic', features: [{ name: 'x0', from: 'context.a' }], weights: [1], intercept: 0.5 });
    expect(fromSklearn(sklearnDocument({ scaler: { mean_: null, scale_: [2, 4] } }), mapping, 'm').model.features.map((f) => [f.mean, f.scale])).toEqual([
      [undefined, 2],
      [undefined, 4],
    ]);
  });

  it('refuses a multi-class model, names that do not match, and a mean given twice, saying why', () => {
    expect(error(() => fromSklearn(sklearnDocument({ coef_: [[1, 2], [3, 4], [5, 6]] }), mapping, 'm'))).toContain('coef_ has 3 rows (a multi-class model)');
    expect(error(() => fromSklearn(sklearnDocument({ classes_: ['a', 'b', 'c'] }), mapping, 'm'))).toContain('classes_ must list the two classes');
    expect(error(() => fromSklearn(sklearnDocument({ feature_names_in_: ['views_7d'] }), mapping, 'm'))).toContain('must name the 2 features of coef_');
    expect(error(() => fromSklearn(sklearnDocument({ coef_: [[1, 'x']] }), mapping, 'm'))).toContain('coef_ must be an array of numbers');
    expect(error(() => fromSklearn(sklearnDocument({ scaler: { mean_: [1], scale_: [1, 1] } }), mapping, 'm'))).toContain('scaler.mean_ must have one entry per feature (2)');
    const declared = { ...mapping, vip: { from: { segment: 'vip' }, mean: 0 } };
    expect(error(() => fromSklearn(sklearnDocument({ scaler: { mean_: [1, 1], scale_: [1, 1] } }), declared, 'm'))).toContain('gives "vip" a mean or scale');
  });
});

describe('attune model (needs the build of @attune/core)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'attune-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const attune = (...args: string[]) => runAttune(dir, ...args);
  const features = join(fixtures, 'features.json');
  const shop = { schema: 'attune.bundle/1', id: 'shop', version: 3, experiences: [], content: {} };

  it('prints the models[] entry of an XGBoost model, checked as browsers check it', () => {
    const result = attune('model', 'import-xgboost', join(fixtures, 'xgboost-classifier.json'), '--id', 'buy-propensity', '--features', features);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual(fromXgboost(fixture('xgboost-classifier.json'), mapping, 'buy-propensity').model);
  });

  it('puts the entry into a bundle, replacing the model of the same id and keeping the others', () => {
    const file = join(dir, 'shop.json');
    const other = fromSklearn(fixture('sklearn-logistic.json'), mapping, 'other').model;
    writeFileSync(file, JSON.stringify({ ...shop, models: [{ ...other, id: 'buy' }, other] }));
    const result = attune('model', 'import-sklearn', join(fixtures, 'sklearn-logistic.json'), '--id', 'buy', '--features', features, '--bundle', file);
    expect(result).toMatchObject({ status: 0, stdout: expect.stringContaining(`Wrote model "buy" (7 features) into the bundle ${file}`) });
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.models).toEqual([{ ...other, id: 'buy' }, other]);
    expect(attune('validate', file).status).toBe(0);
    // Arrays of numbers stay on one line each.
    expect(readFileSync(file, 'utf8')).toContain(`"weights": ${JSON.stringify(other.weights)}`);
  });

  it('writes the entry to --out', () => {
    const result = attune('model', 'import-xgboost', join(fixtures, 'xgboost-classifier.json'), '--id', 'buy', '--features', features, '--out', 'model.json');
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))).toMatchObject({ id: 'buy', type: 'tree-ensemble' });
  });

  it('refuses a model whose feature rule does not compile, and writes nothing', () => {
    writeFileSync(join(dir, 'features.json'), JSON.stringify({ ...mapping, vip: { segmnt: 'vip' } }));
    const result = attune('model', 'import-sklearn', join(fixtures, 'sklearn-logistic.json'), '--id', 'buy', '--features', 'features.json', '--out', 'model.json');
    expect(result).toMatchObject({ status: 1, stderr: expect.stringContaining('bundle-rule-invalid') });
    expect(result.stderr).toContain('model "buy" features[6] ("vip")');
    expect(() => readFileSync(join(dir, 'model.json'))).toThrow();
  });

  it('says a coefficients file holding NaN (as Python\'s json writes it) has values that are not finite', () => {
    writeFileSync(join(dir, 'coef.json'), '{"coef_": [[NaN, 1]], "intercept_": [0]}');
    expect(attune('model', 'import-sklearn', 'coef.json', '--id', 'buy', '--features', features)).toMatchObject({ status: 1, stderr: expect.stringContaining('it holds NaN or Infinity') });
  });

  it('exits with 2 and the usage for a missing option or an unknown model command', () => {
    expect(attune('model', 'import-xgboost', 'model.json', '--features', features)).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: attune model import-xgboost <model.json> --id') });
    expect(attune('model', 'import-lightgbm', 'model.txt')).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown model command "import-lightgbm"') });
  });
});
