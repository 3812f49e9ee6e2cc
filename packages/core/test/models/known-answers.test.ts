import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromSklearn, fromXgboost } from '../../../cli/src/model-import.mjs';
import { validateBundleOnDevice } from '../../src/bundle/device-check.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { compileModel } from '../../src/models/compile-model.js';
import { DAY, fakeHost, type FakeEvent, NOW, SECOND } from '../rules/rule-hosts.js';

/*
 * Known answers: models trained by XGBoost and scikit-learn (scripts/model-fixtures.py), imported
 * with the CLI's converters, scored by Attune from profiles and pages that hold each test row,
 * equal the predictions those libraries made for the same rows.
 */

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));

interface KnownAnswers {
  columns: string[];
  rows: (number | null)[][];
  xgboostClassifier: number[];
  xgboostRegressor: number[];
  sklearnLogistic: number[];
}
const answers = fixture('known-answers.json') as KnownAnswers;
const mapping = fixture('features.json') as Record<string, unknown>;
/** The regressor was saved without feature names: XGBoost calls them f0, f1, ... */
const unnamedMapping = Object.fromEntries(answers.columns.map((column, i) => [`f${i}`, mapping[column]]));

const classifier = fromXgboost(fixture('xgboost-classifier.json'), mapping, 'buy-propensity').model;
const regressor = fromXgboost(fixture('xgboost-regressor.json'), unnamedMapping, 'buy-margin').model;
const logistic = fromSklearn(fixture('sklearn-logistic.json'), mapping, 'buy-logistic').model;
const models = [classifier, regressor, logistic];
const bundle = {
  schema: 'attune.bundle/1',
  id: 'models',
  version: 1,
  segments: [{ id: 'vip', when: { '==': [{ var: 'profile.traits.tier' }, 'gold'] } }],
  experiences: [],
  content: {},
  models,
};

type Row = Record<string, number | null>;
const rows: Row[] = answers.rows.map((values) => Object.fromEntries(answers.columns.map((column, i) => [column, values[i]!])));

/** The events behind a row's counts: product views in the last 7 days, adds to cart (the last one `since_cart` seconds ago). */
function eventsOf(row: Row): FakeEvent[] {
  const events: FakeEvent[] = [];
  for (let i = 0; i < row.views_7d!; i++) events.push({ name: 'product_view', t: NOW - (i + 1) * 60 * SECOND });
  if (row.since_cart !== null) {
    const last = NOW - row.since_cart! * SECOND;
    events.push({ name: 'add_to_cart', t: last });
    // The other adds of the last 30 days, between the last one and the window's start.
    for (let i = 1; i < row.cart_30d!; i++) events.push({ name: 'add_to_cart', t: last - i * SECOND });
  }
  return events;
}

/** What rules read for a row: the profile and page that hold its values (a missing one is absent, as in a real profile). */
function dataOf(row: Row): { context: unknown; profile: unknown } {
  const traits: Record<string, unknown> = { tier: row.vip ? 'gold' : 'silver' };
  if (row.age !== null) traits.age = row.age;
  return {
    context: { time: { hour: row.hour }, location: { country: row.is_fr ? 'FR' : 'DE' } },
    profile: {
      traits,
      rfm: { recencyDays: row.recency_days, frequency: row.recency_days === null ? 0 : 1, monetary: row.monetary },
      affinities: row.shoes_affinity ? { category: { shoes: row.shoes_affinity } } : {},
      segments: [],
    },
  };
}

/** Every row's score by each model, through the bundle's compiled rules (segments, operators, per-pass reads). */
function scoreRows(): number[][] {
  const events: FakeEvent[] = [];
  const host = fakeHost(events);
  const compiled = compileBundle(validateBundle(bundle), host);
  const scorers = models.map((model) => compileModel(model, compiled.compile));
  return rows.map((row) => {
    events.splice(0, events.length, ...eventsOf(row));
    const data = compiled.begin(dataOf(row), (where, error) => expect.fail(`${where}: ${String(error)}`), false);
    return scorers.map((scorer) => scorer.score(data));
  });
}

const scores = scoreRows();
const column = (model: number): number[] => scores.map((row) => row[model]!);
const largestDifference = (actual: number[], expected: number[]): number => Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));

describe('models trained by XGBoost and scikit-learn, scored by Attune', () => {
  it('has 1,000 rows whose missing values send visitors down the trees\' default branches', () => {
    expect(rows).toHaveLength(1000);
    for (const column of ['since_cart', 'recency_days', 'age']) expect(rows.filter((row) => row[column] === null).length).toBeGreaterThan(100);
  });

  it('imports models the bundle check accepts, on the device as with the zod schema', () => {
    expect(validateBundleOnDevice(bundle)).toEqual(validateBundle(bundle));
  });

  it('gives the probabilities of an XGBoost binary:logistic ensemble to 1e-6 (base_score a probability)', () => {
    expect(classifier).toMatchObject({ type: 'tree-ensemble', link: 'logistic', baseMargin: expect.closeTo(Math.log(0.3 / 0.7), 12) });
    expect(classifier.trees).toHaveLength(60);
    expect(largestDifference(column(0), answers.xgboostClassifier)).toBeLessThanOrEqual(1e-6);
  });

  it('gives the predictions of an XGBoost reg:squarederror ensemble to 1e-6 (base_score a margin)', () => {
    expect(regressor).toMatchObject({ link: 'identity', baseMargin: 0.5 });
    expect(largestDifference(column(1), answers.xgboostRegressor)).toBeLessThanOrEqual(1e-6);
  });

  it('gives the probabilities of a scikit-learn StandardScaler + LogisticRegression to 1e-6', () => {
    expect(largestDifference(column(2), answers.sklearnLogistic)).toBeLessThanOrEqual(1e-6);
  });

  it('tells visitors apart: the scores spread over the range of probabilities', () => {
    for (const model of [0, 2]) {
      const values = column(model);
      expect(Math.min(...values)).toBeLessThan(0.1);
      expect(Math.max(...values)).toBeGreaterThan(0.9);
    }
  });
});

describe('a feature read as rules read it', () => {
  it('reads a count over the visitor\'s events in its window, a segment, and the page\'s location', () => {
    const compiled = compileBundle(validateBundle(bundle), fakeHost([{ name: 'product_view', t: NOW - 8 * DAY }, { name: 'product_view', t: NOW - DAY }]));
    const features = compileModel(logistic, compiled.compile).features;
    const row = dataOf({ ...rows[0]!, vip: 1, is_fr: 1 });
    const x = features(compiled.begin(row, () => undefined, false));
    const names = logistic.features.map((feature) => feature.name);
    const standardized = (name: string, value: number) => {
      const feature = logistic.features[names.indexOf(name)]!;
      return (value - feature.mean!) / feature.scale!;
    };
    expect(x[names.indexOf('views_7d')]).toBe(standardized('views_7d', 1));
    expect(x[names.indexOf('vip')]).toBe(standardized('vip', 1));
    expect(x[names.indexOf('is_fr')]).toBe(standardized('is_fr', 1));
  });
});
