#!/usr/bin/python3
"""Known-answer fixtures for Attune's models (packages/core/test/models/fixtures/).

Trains small models on synthetic visitor data with a fixed seed, with the tools data teams use:
an XGBoost binary:logistic ensemble and a reg:squarederror one (missing values in the data, so
trees learn default directions), and a scikit-learn LogisticRegression behind a StandardScaler.
Writes the models as those tools save them (XGBoost's save_model JSON; the sklearn coefficients
as JSON), and 1,000 test rows with each model's predictions (predict_proba / predict). The unit
tests import the models with the CLI and check Attune's scores against these predictions.

Debian:  apt-get install -y python3-xgboost python3-sklearn
Run:     /usr/bin/python3 scripts/model-fixtures.py     (the system Python, where apt installs)
The output is committed: CI and users need no Python.
"""
import json
import os

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SEED = 18
TRAIN, TEST = 4000, 1000
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'packages', 'core', 'test', 'models', 'fixtures')

# Each column as a profile or the page context holds it (docs/models.md "Models"); NaN = missing.
COLUMNS = ['views_7d', 'cart_30d', 'since_cart', 'recency_days', 'monetary', 'shoes_affinity', 'age', 'hour', 'is_fr', 'vip']
LOGISTIC_COLUMNS = ['views_7d', 'cart_30d', 'monetary', 'shoes_affinity', 'hour', 'is_fr', 'vip']


def visitors(rng, n):
    views = rng.poisson(3, n).astype(float)
    cart = rng.poisson(0.8, n).astype(float)
    # Whole seconds since the last add to cart: within 30 days when some are counted there, else
    # 30 to 90 days ago or never (missing), as a real profile would have it.
    since = np.where(
        cart > 0,
        rng.integers(60, 30 * 86400, n),
        np.where(rng.random(n) < 0.6, np.nan, rng.integers(30 * 86400 + 1, 90 * 86400, n)),
    ).astype(float)
    bought = rng.random(n) < 0.6
    recency = np.where(bought, rng.integers(0, 366, n).astype(float), np.nan)
    monetary = np.where(bought, np.round(rng.lognormal(4, 1, n), 2), 0.0)
    affinity = np.where(rng.random(n) < 0.3, 0.0, rng.exponential(2, n))
    age = np.where(rng.random(n) < 0.3, np.nan, rng.integers(18, 81, n).astype(float))
    hour = rng.integers(0, 24, n).astype(float)
    is_fr = (rng.random(n) < 0.25).astype(float)
    vip = (rng.random(n) < 0.1).astype(float)
    return np.column_stack([views, cart, since, recency, monetary, affinity, age, hour, is_fr, vip])


def labels(rng, x):
    views, cart, since, recency, monetary, affinity, age, hour, is_fr, vip = x.T
    margin = (
        -2.0
        + 0.3 * views
        + 0.6 * cart
        + np.where(np.isnan(since), -0.5, 1.2 - since / (10 * 86400))
        + np.where(np.isnan(recency), 0.0, 0.8 - recency / 120)
        + 0.004 * monetary
        + 0.5 * affinity
        + np.where(np.isnan(age), 0.2, (age - 45) ** 2 / -600)
        + np.where((hour >= 18) & (hour <= 22), 0.7, 0.0)
        + 0.5 * is_fr
        + 1.5 * vip
    )
    return (rng.random(len(x)) < 1 / (1 + np.exp(-margin))).astype(int), margin


def write(name, value):
    with open(os.path.join(OUT, name), 'w') as file:
        json.dump(value, file, separators=(',', ':'))
        file.write('\n')


def main():
    rng = np.random.default_rng(SEED)
    x_train, x_test = visitors(rng, TRAIN), visitors(rng, TEST)
    y_train, margin_train = labels(rng, x_train)

    # base_score: the prior, a probability (the margin starts at its logit); 0.5 would hide that.
    classifier = xgb.XGBClassifier(n_estimators=60, max_depth=6, learning_rate=0.15, subsample=0.8, min_child_weight=2, base_score=0.3, tree_method='hist', random_state=SEED)
    classifier.fit(x_train, y_train)
    booster = classifier.get_booster()
    xgb_proba = classifier.predict_proba(x_test)[:, 1]
    # Names make the model readable (without them XGBoost calls the features f0, f1, ...).
    booster.feature_names = COLUMNS
    booster.save_model(os.path.join(OUT, 'xgboost-classifier.json'))

    # A regression (identity link: the base score is a margin, not a probability) of the margin.
    regressor = xgb.XGBRegressor(n_estimators=20, max_depth=3, learning_rate=0.3, tree_method='hist', random_state=SEED)
    regressor.fit(x_train, margin_train)
    reg_prediction = regressor.predict(x_test)
    regressor.get_booster().save_model(os.path.join(OUT, 'xgboost-regressor.json'))

    logistic_index = [COLUMNS.index(name) for name in LOGISTIC_COLUMNS]
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    pipeline.fit(x_train[:, logistic_index], y_train)
    scaler, model = pipeline.named_steps['standardscaler'], pipeline.named_steps['logisticregression']
    sk_proba = pipeline.predict_proba(x_test[:, logistic_index])[:, 1]
    # What `attune model import-sklearn` reads: the fitted attributes, named as scikit-learn names them.
    write('sklearn-logistic.json', {
        'feature_names_in_': LOGISTIC_COLUMNS,
        'coef_': model.coef_.tolist(),
        'intercept_': model.intercept_.tolist(),
        'classes_': model.classes_.tolist(),
        'scaler': {'mean_': scaler.mean_.tolist(), 'scale_': scaler.scale_.tolist()},
    })

    write('known-answers.json', {
        'generator': f'scripts/model-fixtures.py (seed {SEED}; xgboost {xgb.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__})',
        'columns': COLUMNS,
        # JSON has no NaN: a missing value is null.
        'rows': [[None if np.isnan(v) else (int(v) if v == int(v) and COLUMNS[j] != 'shoes_affinity' else float(v)) for j, v in enumerate(row)] for row in x_test],
        'xgboostClassifier': [float(p) for p in xgb_proba],
        'xgboostRegressor': [float(p) for p in reg_prediction],
        'sklearnLogistic': [float(p) for p in sk_proba],
    })


if __name__ == '__main__':
    main()
