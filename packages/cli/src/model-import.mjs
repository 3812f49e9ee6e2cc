// Converts trained models into a bundle's `models[]` entry (docs/models.md "Models"): XGBoost's JSON model
// (Booster.save_model('model.json'), XGBoost 1.0 and later) and scikit-learn's LogisticRegression
// coefficients. Pure: JSON in, the entry and warnings out; `attune model` reads and writes files.
import { CliError } from './cli-support.mjs';

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const own = (object, key) => (isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined);
const quoted = (names) => names.map((name) => JSON.stringify(name)).join(', ');

/** The keys a feature declaration may have besides `from` (the bundle's ModelFeature). */
const DECLARATION_KEYS = ['from', 'default', 'mean', 'scale'];

/**
 * The bundle features of `names` (the model's, in its order) from the mapping file: each name maps
 * to a declaration `{ from, default?, mean?, scale? }`, or to its `from` alone (a path or a rule).
 * Names the model does not use may be in the mapping (one file can serve several models).
 */
export function declareFeatures(names, mapping) {
  if (!isObject(mapping)) throw new CliError('the feature mapping must be a JSON object: { "<model feature name>": "<path>" or {rule} or { "from": ..., "default": ... } }');
  const unmapped = names.filter((name) => own(mapping, name) === undefined);
  if (unmapped.length > 0) throw new CliError(`the feature mapping has no entry for the model's feature(s) ${quoted(unmapped)}: map each to a path ("profile.rfm.monetary") or a rule ({"count": ["product_view", "7d"]})`);
  return names.map((name) => {
    const entry = own(mapping, name);
    if (!isObject(entry) || !Object.hasOwn(entry, 'from')) return { name, from: entry };
    const unknown = Object.keys(entry).filter((key) => !DECLARATION_KEYS.includes(key));
    if (unknown.length > 0) throw new CliError(`the feature mapping's "${name}" has unknown key(s) ${quoted(unknown)}: a declaration has ${DECLARATION_KEYS.join(', ')}`);
    return { name, ...entry };
  });
}

/** What the objectives Attune scores mean: the link applied to the margin, and whether base_score is a probability. */
const OBJECTIVES = {
  'binary:logistic': { link: 'logistic', probability: true },
  'reg:logistic': { link: 'logistic', probability: true },
  'binary:logitraw': { link: 'identity', probability: true },
  'reg:squarederror': { link: 'identity', probability: false },
  'reg:linear': { link: 'identity', probability: false },
  'reg:pseudohubererror': { link: 'identity', probability: false },
  'reg:absoluteerror': { link: 'identity', probability: false },
};

/** A number XGBoost wrote as text ("5E-1"; "[5E-1]" from XGBoost 3), or NaN. */
const parameter = (text) => Number(String(text ?? '').replace(/^\[(.*)\]$/, '$1') || NaN);

/** The XGBoost document's trees, checked to be ones Attune scores the same way. */
function xgboostTrees(learner) {
  const booster = own(learner, 'gradient_booster');
  const name = own(booster, 'name');
  if (name === 'dart') throw new CliError('the model is a DART booster (its trees are weighted at prediction): train with booster "gbtree"');
  if (name !== 'gbtree') throw new CliError(`the model's booster is ${JSON.stringify(name)}: Attune imports tree boosters ("gbtree")`);
  const trees = own(own(booster, 'model'), 'trees');
  if (!Array.isArray(trees) || trees.length === 0) throw new CliError('the model has no trees (gradient_booster.model.trees)');
  const info = own(own(booster, 'model'), 'tree_info');
  if (Array.isArray(info) && info.some((group) => group !== 0)) throw new CliError('the model has trees for several outputs (a multi-class or multi-target model): Attune imports one output');
  trees.forEach((tree, t) => {
    for (const key of ['left_children', 'right_children', 'split_indices', 'split_conditions', 'default_left']) {
      if (!Array.isArray(own(tree, key))) throw new CliError(`tree ${t} has no ${key} array: is this a model saved by Booster.save_model('model.json')?`);
    }
    const categorical = own(tree, 'split_type')?.some?.((type) => type !== 0) || own(tree, 'categories')?.length > 0;
    if (categorical) throw new CliError(`tree ${t} has categorical splits: Attune imports numerical splits only (one-hot encode the categories before training)`);
  });
  return trees;
}

/**
 * An XGBoost JSON model as a `tree-ensemble` entry. The features are those the trees split on,
 * in the model's order, mapped by name (`feature_names`, else XGBoost's f0, f1, ...).
 * Returns `{ model, warnings }`.
 */
export function fromXgboost(document, mapping, id) {
  const learner = own(document, 'learner');
  if (!isObject(learner)) throw new CliError('this is not an XGBoost JSON model (no "learner"): save it with Booster.save_model(\'model.json\') (XGBoost 1.0 or later)');
  const objective = own(own(learner, 'objective'), 'name');
  const meaning = Object.hasOwn(OBJECTIVES, objective) ? OBJECTIVES[objective] : undefined;
  if (!meaning) throw new CliError(`the objective ${JSON.stringify(objective)} is not supported: Attune imports ${Object.keys(OBJECTIVES).join(', ')}`);
  const params = own(learner, 'learner_model_param');
  if (parameter(own(params, 'num_class')) > 1 || parameter(own(params, 'num_target')) > 1) throw new CliError('the model has several outputs (num_class or num_target above 1): Attune imports one output');
  const baseScore = parameter(own(params, 'base_score'));
  if (!Number.isFinite(baseScore) || (meaning.probability && !(baseScore > 0 && baseScore < 1))) {
    throw new CliError(`base_score ${JSON.stringify(own(params, 'base_score'))} is not ${meaning.probability ? 'a probability between 0 and 1' : 'a number'}`);
  }
  const trees = xgboostTrees(learner);

  const named = own(learner, 'feature_names');
  const count = parameter(own(params, 'num_feature'));
  const names = Array.isArray(named) && named.length > 0 ? named.map(String) : Array.from({ length: Number.isInteger(count) ? count : 0 }, (_, i) => `f${i}`);
  // The features the trees split on, in the model's order: the others cost nothing to leave out.
  const used = new Set();
  for (const tree of trees) tree.split_indices.forEach((feature, i) => tree.left_children[i] !== -1 && used.add(feature));
  const order = [...used].sort((a, b) => a - b);
  const missing = order.filter((feature) => !(Number.isInteger(feature) && feature >= 0 && feature < names.length));
  if (missing.length > 0) throw new CliError(`the trees split on feature(s) ${missing.join(', ')}, which the model does not name (it has ${names.length})`);
  const position = new Map(order.map((feature, i) => [feature, i]));

  const model = {
    id,
    type: 'tree-ensemble',
    features: declareFeatures(order.map((feature) => names[feature]), mapping),
    trees: trees.map((tree) => ({
      // A leaf's feature is not read: 0 keeps it short.
      feature: tree.split_indices.map((feature, i) => (tree.left_children[i] === -1 ? 0 : position.get(feature))),
      value: tree.split_conditions,
      left: tree.left_children,
      right: tree.right_children,
      defaultLeft: tree.default_left.map(Number),
    })),
    // The margin starts at base_score, which XGBoost keeps as a probability for logistic objectives.
    baseMargin: meaning.probability ? Math.log(baseScore / (1 - baseScore)) : baseScore,
    link: meaning.link,
  };
  const warnings = [];
  const best = parameter(own(own(learner, 'attributes'), 'best_iteration'));
  if (Number.isInteger(best) && best + 1 < trees.length) {
    warnings.push(`the model was trained with early stopping (best_iteration ${best}): all ${trees.length} trees are imported, as Booster.predict uses them; the scikit-learn wrapper's predict_proba uses the trees up to the best iteration only`);
  }
  return { model, warnings };
}

const numbers = (value, what) => {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'number')) throw new CliError(`${what} must be an array of numbers`);
  return value;
};

/**
 * scikit-learn LogisticRegression coefficients as a `logistic` entry: `{ coef_, intercept_,
 * feature_names_in_?, classes_?, scaler?: { mean_, scale_ } }`, the fitted attributes of the model
 * (and of the StandardScaler before it in a pipeline). Features are mapped by name
 * (`feature_names_in_`, else scikit-learn's x0, x1, ...). Returns `{ model, warnings }`.
 */
export function fromSklearn(document, mapping, id) {
  if (!isObject(document)) throw new CliError('the coefficients must be a JSON object { "coef_": [[...]], "intercept_": [...], "feature_names_in_": [...], "scaler": { "mean_": [...], "scale_": [...] } }');
  let coef = own(document, 'coef_');
  if (Array.isArray(coef) && Array.isArray(coef[0])) {
    if (coef.length !== 1) throw new CliError(`coef_ has ${coef.length} rows (a multi-class model): Attune imports a binary LogisticRegression`);
    coef = coef[0];
  }
  const weights = numbers(coef, 'coef_');
  const intercept = own(document, 'intercept_');
  const [bias] = numbers(Array.isArray(intercept) ? intercept : [intercept ?? 0], 'intercept_');
  const classes = own(document, 'classes_');
  if (classes !== undefined && (!Array.isArray(classes) || classes.length !== 2)) throw new CliError('classes_ must list the two classes of a binary model (the score is the probability of the second)');
  const named = own(document, 'feature_names_in_') ?? own(document, 'feature_names');
  const names = named === undefined ? weights.map((_, i) => `x${i}`) : named;
  if (!Array.isArray(names) || names.length !== weights.length) throw new CliError(`feature_names_in_ must name the ${weights.length} features of coef_, in order`);

  const features = declareFeatures(names.map(String), mapping);
  const scaler = own(document, 'scaler');
  if (scaler !== undefined && scaler !== null) {
    // A scaler without centering (with_mean=False) or scaling (with_std=False) gives null.
    const mean = own(scaler, 'mean_') ?? null;
    const scale = own(scaler, 'scale_') ?? null;
    for (const [values, key] of [[mean, 'mean_'], [scale, 'scale_']]) {
      if (values !== null && numbers(values, `scaler.${key}`).length !== weights.length) throw new CliError(`scaler.${key} must have one entry per feature (${weights.length})`);
    }
    features.forEach((feature, i) => {
      if (feature.mean !== undefined || feature.scale !== undefined) throw new CliError(`the feature mapping gives "${feature.name}" a mean or scale, but the coefficients come with their scaler's: remove them from the mapping`);
      if (mean !== null) feature.mean = mean[i];
      if (scale !== null) feature.scale = scale[i];
    });
  }
  return { model: { id, type: 'logistic', features, weights, intercept: bias }, warnings: [] };
}
