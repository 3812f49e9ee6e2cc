import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { AttuneError } from '../../src/errors.js';
import { shopBundle } from '../fixtures.js';
import { experience, rawBundle } from '../decide/decide-support.js';
import { thrownAttuneError } from '../support.js';
import { logisticModel, treeModel } from '../models/small-models.js';

const rejection = (value: unknown): AttuneError => thrownAttuneError(() => compileBundle(validateBundle(value)));

describe('validateBundle', () => {
  it('accepts a valid bundle and returns it typed', () => {
    expect(validateBundle(shopBundle()).experiences).toHaveLength(2);
  });

  it('rejects a wrong schema tag', () => {
    expect(rejection(shopBundle({ schema: 'attune.bundle/9' }))).toMatchObject({ code: 'bundle-invalid', message: expect.stringContaining('schema') });
  });

  it('names the path of every structural problem', () => {
    const error = rejection({ schema: 'attune.bundle/1', id: 'x', version: '1', experiences: [{ id: 'e', variants: [] }], content: {} });
    expect(error.code).toBe('bundle-invalid');
    expect(error.message).toContain('experiences[0].slot');
    expect(error.message).toContain('experiences[0].variants');
  });

  it('rejects variants that name missing content and defaults that name missing variants', () => {
    const bundle = shopBundle();
    bundle.experiences[0]!.variants[1]!.content = 'nope';
    bundle.experiences[0]!.default = 'ghost';
    const error = rejection(bundle);
    expect(error.message).toContain('content "nope"');
    expect(error.message).toContain('default "ghost"');
  });

  it('rejects an audience that names an undefined segment', () => {
    const bundle = shopBundle({ segments: [] });
    expect(rejection(bundle).message).toContain('segment "engaged" is not defined');
  });

  it('rejects a bundle whose rule uses an unknown operator, naming the operator and the rule', () => {
    const bundle = shopBundle({ segments: [{ id: 'engaged', when: { frobnicate: [1] } }] });
    const error = rejection(bundle);
    expect(error.code).toBe('bundle-rule-invalid');
    expect(error.message).toContain('frobnicate');
    expect(error.message).toContain('segment "engaged"');
    // Bundles cannot register custom operators: the fix offered is a standard operator only.
    expect(error.message).toContain('Unknown rule operator "frobnicate": use a standard JSON Logic operator (https://jsonlogic.com/operations.html).');
    expect(error.message).not.toContain('compileRule');
  });

  it('rejects an audience rule nested too deeply to compile, naming the experience', () => {
    let rule: unknown = true;
    for (let i = 0; i < 50_000; i++) rule = { '!': [rule] };
    const bundle = rawBundle([experience('a', 'hero', { audience: { rule } })]);
    expect(rejection(bundle)).toMatchObject({ code: 'bundle-rule-invalid', message: expect.stringMatching(/"a".*nested too deeply/) });
  });

  it('rejects a segment rule nested too deeply to compile with a typed error naming the segment', () => {
    let when: unknown = { segment: 'engaged' };
    for (let i = 0; i < 50_000; i++) when = { and: [true, when] };
    const bundle = shopBundle({ segments: [{ id: 'engaged', when: true }, { id: 'deep', when }] });
    expect(rejection(bundle)).toMatchObject({ code: 'bundle-rule-invalid', message: expect.stringMatching(/segment "deep".*nested too deeply/) });
  });

  it('finds a segment cycle through a deeply nested reference', () => {
    let when: unknown = { segment: 'deep' };
    for (let i = 0; i < 50_000; i++) when = [when];
    const bundle = shopBundle({ segments: [{ id: 'engaged', when: true }, { id: 'deep', when: { or: when } }] });
    expect(rejection(bundle)).toMatchObject({ code: 'bundle-invalid', message: expect.stringContaining('("deep"): refers to itself through deep → deep') });
  });

  it('rejects an expiry that is not an ISO date-time', () => {
    expect(rejection(shopBundle({ expiresAt: 'tomorrow' })).message).toContain('expiresAt: "tomorrow" is not a real date-time (ISO 8601 with Z or ±hh:mm)');
    expect(rejection(shopBundle({ generatedAt: '2026-11-23 10:00:00' })).message).toContain('generatedAt: "2026-11-23 10:00:00" is not a real date-time');
  });

  it('rejects an ISO-shaped expiry that is not a real date', () => {
    expect(rejection(shopBundle({ expiresAt: '2026-13-45T00:00:00Z' })).message).toContain('expiresAt: "2026-13-45T00:00:00Z" is not a real date');
  });

  it('accepts date-times with an offset and fractional seconds', () => {
    expect(validateBundle(shopBundle({ generatedAt: '2026-11-23T10:00:00.123+01:00', expiresAt: '2030-01-01T00:00Z' })).expiresAt).toBe('2030-01-01T00:00Z');
  });
});

describe('validateBundle: v1 features', () => {
  const base = (experiences: Record<string, unknown>[], extra: Record<string, unknown> = {}) => rawBundle(experiences, extra);
  const problems = (value: unknown) => rejection(value).message;

  it('accepts schedules, caps, groups, experiments, factors, stages and json content', () => {
    const bundle = validateBundle(
      base(
        [
          experience('a', 'hero', {
            schedule: { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' },
            cap: [{ count: 3, per: 'day' }, { count: 10, per: 'lifetime' }],
            group: 'promo',
            experiment: { id: 'a-test', unit: 'userId', traffic: 0.5, holdout: 0.1, factors: [{ id: 'headline', levels: [{ id: 'x', weight: 2, content: 'a' }] }] },
          }),
        ],
        { stages: [{ id: 'aware', when: true }], content: { a: { type: 'json', value: { cards: [] }, meta: { v: 1 } }, 'a-default': { type: 'text', value: '' } } },
      ),
    );
    expect(bundle.experiences[0]?.experiment?.factors).toHaveLength(1);
  });

  it('accepts journey triggers, dropping fields the format does not know, and names what a trigger lacks', () => {
    const trigger = { id: 't', when: { event: 'add_to_cart', absent: 'purchase', within: '30m' }, actions: [{ track: 'cart_abandoned' }, { trait: 'reminded', value: true }, { eligible: 'x' }], cap: { count: 1, per: 'session' } };
    expect(validateBundle(base([], { triggers: [{ ...trigger, after: '30m' }] })).triggers).toEqual([trigger]);
    const found = problems(base([], { triggers: [{ when: {}, actions: [] }, { id: 'u', when: { count: 0 }, actions: [{ track: '' }], cap: { count: 1, per: 'week' } }] }));
    for (const path of ['triggers[0].id', 'triggers[0].actions', 'triggers[1].when.count', 'triggers[1].actions[0].track', 'triggers[1].cap.per']) expect(found).toContain(path);
  });

  it('accepts recommenders over an inline catalog or a catalog file, dropping fields the format does not know', () => {
    const item = { id: 'a', category: 'shoes', tags: ['trail'], price: 90, available: false, popularity: 12, neighbors: { b: 0.5 }, content: { title: 'Trail runner' } };
    const inline = { id: 'r', items: [item, { id: 'b' }], blend: { neighbors: 1, popularity: 0.1 }, recentViews: 3, exclude: { viewed: true }, rule: { '<': [{ var: 'item.price' }, 100] }, perCategory: 2, limit: 4 };
    const file = { id: 'big', catalog: { url: '/catalog.json', sha256: 'ab'.repeat(32) } };
    expect(validateBundle(base([], { recommenders: [{ ...inline, note: 'x' }, file] })).recommenders).toEqual([inline, file]);
  });

  it('names what is wrong with a recommender\'s fields', () => {
    const message = problems(base([], { recommenders: [{ id: 'r', items: [{ id: 'a', price: -1, available: 'yes', neighbors: { b: 'near' }, content: { title: 1 } }], blend: { tag: -1 }, catalog: { url: '' } }] }));
    expect(message).toContain('recommenders[0].items[0].price: too small (at least 0)');
    expect(message).toContain('recommenders[0].items[0].available: invalid type (expected boolean)');
    expect(message).toContain('recommenders[0].items[0].neighbors.b: invalid type (expected number)');
    expect(message).toContain('recommenders[0].items[0].content.title: invalid type (expected string)');
    expect(message).toContain('recommenders[0].blend.tag: too small (at least 0)');
    expect(message).toContain('recommenders[0].catalog.url: too small (at least 1)');
    expect(message).toContain('recommenders[0].catalog.sha256: invalid type (expected string)');
  });

  it('accepts an experiment allocated by Thompson sampling, and names a wrong allocation field', () => {
    const allocation = { type: 'thompson', reward: 'purchase', floor: 0.05, posteriors: { a: { alpha: 3, beta: 40 } }, segments: [{ segment: 'vip', posteriors: { b: { alpha: 2, beta: 9 } } }] };
    const bandit = { ...experience('banner', 'banner'), experiment: { id: 'banner-bandit', allocation } };
    expect(validateBundle(rawBundle([bandit])).experiences[0]!.experiment!.allocation).toEqual(allocation);
    const wrong = { ...bandit, experiment: { id: 'banner-bandit', allocation: { type: 'ucb', floor: 2, posteriors: { a: { alpha: '3' } } } } };
    const message = problems(rawBundle([wrong]));
    expect(message).toContain('experiences[0].experiment.allocation.type: invalid value (expected "thompson")');
    expect(message).toContain('experiences[0].experiment.allocation.reward: invalid type (expected string)');
    expect(message).toContain('experiences[0].experiment.allocation.floor: too big (at most 1)');
    expect(message).toContain('experiences[0].experiment.allocation.posteriors.a.alpha: invalid type (expected number)');
  });

  it('accepts logistic and tree-ensemble models, dropping fields the format does not know', () => {
    const models = [logisticModel(), treeModel()];
    expect(validateBundle(base([], { models: [{ ...models[0], note: 'trained in May' }, models[1]] })).models).toEqual(models);
  });

  it('names what is wrong with a model: its type, a missing field, a weight or link of the wrong kind', () => {
    const message = problems(
      base([], {
        models: [{ id: 'a', type: 'forest' }, logisticModel({ id: 'b', weights: [1, 'x'], intercept: undefined }), treeModel({ id: 'c', link: 'probit', features: [] })],
      }),
    );
    expect(message).toContain('models[0].type: invalid value (expected "logistic" or "tree-ensemble")');
    expect(message).toContain('models[1].weights[1]: invalid type (expected number)');
    expect(message).toContain('models[1].intercept');
    expect(message).toContain('models[2].link: invalid value (expected "logistic" or "identity")');
    expect(message).toContain('models[2].features: too small (at least 1)');
  });

  it('names out-of-range experiment shares, caps and content types', () => {
    const message = problems(
      base([experience('a', 'hero', { cap: { count: 0, per: 'week' }, experiment: { id: 'x', traffic: 1.5, holdout: -0.1, unit: 'email' } })], {
        content: { a: { type: 'html', value: '<b>' }, 'a-default': { type: 'json' } },
      }),
    );
    for (const path of ['experiences[0].cap', 'experiences[0].experiment.traffic', 'experiences[0].experiment.holdout', 'experiences[0].experiment.unit', 'content.a.type']) {
      expect(message).toContain(path);
    }
  });

  it('rejects a version that is not a whole number >= 0 or a string of digits, saying what to give', () => {
    for (const version of [1.5, -1, '1.0', true]) {
      expect(problems(base([], { version }))).toContain(`version: ${JSON.stringify(version)}: give a whole number >= 0 (or a string of 1 to 15 digits)`);
    }
    const { version: _, ...unversioned } = base([]);
    // Reported once, by the schema.
    expect(problems(unversioned).match(/version/g)).toEqual(['version']);
    expect(problems(unversioned)).toContain('version: missing');
  });

  it('says what a field expects: the allowed values, the bounds, the type', () => {
    const message = problems(
      base([experience('a', 'hero', { priority: 'high', variants: [], experiment: { id: 'e', traffic: 2, holdout: -0.5 } })], { schema: 'attune.bundle/2', id: '', content: { c: { type: 'html', value: 'x' } } }),
    );
    for (const problem of [
      'schema: invalid value (expected "attune.bundle/1")',
      'id: too small (at least 1)',
      'experiences[0].priority: invalid type (expected number)',
      'experiences[0].variants: too small (at least 1)',
      'experiences[0].experiment.traffic: too big (at most 1)',
      'experiences[0].experiment.holdout: too small (at least 0)',
      'content.c.type: invalid value (expected "text" or "json")',
    ]) {
      expect(message).toContain(problem);
    }
  });

  it('names the field of a bad cap, whether the experience has one cap or a list', () => {
    const message = problems(base([experience('a', 'hero', { cap: { count: 2.5, per: 'week' } }), experience('b', 'side', { cap: [{ count: 1, per: 'day' }, { count: 0, per: 'day' }] })]));
    expect(message).toContain('experiences[0].cap.per: invalid value (expected "session" or "day" or "lifetime")');
    expect(message).toContain('experiences[1].cap[1].count: too small (at least 1)');
    expect(validateBundle(base([experience('a', 'hero', { cap: { count: 3, per: 'day' } })])).experiences[0]!.cap).toEqual({ count: 3, per: 'day' });
  });

  it('rejects a fractional cap count', () => {
    expect(problems(base([experience('a', 'hero', { cap: [{ count: 2.5, per: 'day' }] })]))).toContain('experiences[0].cap[0].count: 2.5 is not a whole number');
    expect(problems(base([experience('a', 'hero', { cap: { count: 2.5, per: 'day' } })]))).toContain('experiences[0].cap.count: 2.5 is not a whole number');
  });

  it('reports a bad version, caps and text values together with the other structural problems', () => {
    const message = problems(base([experience('a', 'hero', { slot: 7, cap: [] })], { version: 'v2', content: { a: { type: 'text', value: 1 }, 'a-default': { type: 'text', value: '' } } }));
    expect(message).toContain('version: "v2"');
    expect(message).toContain('content["a"].value: a text content\'s value must be a string');
    expect(message).toContain('experiences[0].cap: too small');
    expect(message).toContain('experiences[0].slot: invalid type');
  });

  it('rejects a text content whose value is not a string, and accepts any JSON value for json content', () => {
    const message = problems(base([experience('a', 'hero')], { content: { a: { type: 'text', value: 42 }, 'a-default': { type: 'json', value: 42 } } }));
    expect(message).toContain('content["a"].value: a text content\'s value must be a string');
    expect(message).not.toContain('a-default');
  });

  it('rejects ids used twice in segments, stages, experiences and extensions', () => {
    const message = problems(
      base([experience('a', 'hero'), experience('a', 'side')], {
        segments: [{ id: 's', when: true }, { id: 's', when: false }],
        stages: [{ id: 't', when: true }, { id: 't', when: true }],
        models: [logisticModel({ id: 'm' }), treeModel({ id: 'm' })],
      }),
    );
    expect(message).toContain('segments[1]: id "s" is used twice in segments');
    expect(message).toContain('stages[1]: id "t" is used twice in stages');
    expect(message).toContain('experiences[1]: id "a" is used twice in experiences');
    expect(message).toContain('models[1]: id "m" is used twice in models');
  });

  it('rejects an experiment id used by two experiences', () => {
    const message = problems(base([experience('a', 'hero', { experiment: { id: 'x' } }), experience('b', 'side', { experiment: { id: 'x' } })]));
    expect(message).toContain('experiences[1] ("b"): experiment id "x" is already used by experience "a"');
  });

  it('rejects experiment weights that sum to 0', () => {
    const variants = [{ id: 'a', weight: 0, content: 'a' }, { id: 'b', weight: 0, content: 'a' }];
    expect(problems(base([experience('a', 'hero', { variants, default: 'a', experiment: { id: 'x' } })]))).toContain('experiment "x" variants: the weights sum to 0');
  });

  it('rejects a variant called "holdout" in an experiment', () => {
    const variants = [{ id: 'holdout', content: 'a' }];
    expect(problems(base([experience('a', 'hero', { variants, default: undefined, experiment: { id: 'x' } })]))).toContain('variant id "holdout" is reserved');
  });

  it('rejects factors and levels that are repeated, unusable or name missing content', () => {
    const factors = [
      { id: 'f', levels: [{ id: 'l', content: 'a' }, { id: 'l', content: 'ghost' }] },
      { id: 'f', levels: [{ id: 'x|y', weight: 0, content: 'a' }] },
      { id: 'g=h', levels: [{ id: 'ok', content: 'a' }] },
    ];
    const bundle = base([experience('a', 'hero', { experiment: { id: 'x', factors } })]);
    delete (bundle.content as Record<string, unknown>).ghost;
    const message = problems(bundle);
    expect(message).toContain('experiment.factors[0] ("f"): level id "l" is used twice');
    expect(message).toContain('level "l" names content "ghost" that is not in content');
    expect(message).toContain('experiment.factors[1] ("f"): factor id "f" is used twice');
    expect(message).toContain('level id "x|y" may not contain "=" or "|"');
    expect(message).toContain('experiment.factors[1] ("f") levels: the weights sum to 0');
    expect(message).toContain('experiment.factors[2] ("g=h"): a factor id may not contain "=" or "|"');
  });

  it('rejects a schedule that ends before it starts or is not a real date', () => {
    expect(problems(base([experience('a', 'hero', { schedule: { start: '2026-12-01T00:00:00Z', end: '2026-12-01T00:00:00Z' } })]))).toContain(
      'experiences[0] ("a"): schedule.start must be before schedule.end',
    );
    expect(problems(base([experience('a', 'hero', { schedule: { end: '2026-02-31T00:00:00Z' } })]))).toContain('schedule.end: "2026-02-31T00:00:00Z" is not a real date');
    expect(problems(base([experience('a', 'hero', { schedule: { start: '2026-01-01T24:00:00Z' } })]))).toContain('schedule.start: "2026-01-01T24:00:00Z" is not a real date');
  });

  it('rejects two caps per the same period', () => {
    const cap = [{ count: 1, per: 'day' }, { count: 2, per: 'day' }];
    expect(problems(base([experience('a', 'hero', { cap })]))).toContain('cap[1]: a cap per day is given twice');
  });

  it('rejects an expiry that is not after the generation time', () => {
    expect(problems(base([], { generatedAt: '2026-11-23T10:00:00Z', expiresAt: '2026-11-23T10:00:00Z' }))).toContain('expiresAt: must be after generatedAt');
  });

  it('names a loop of segments that refer to each other', () => {
    const segments = [
      { id: 'a', when: { and: [{ segment: 'b' }, true] } },
      { id: 'b', when: { segment: ['a'] } },
      { id: 'c', when: { segment: 'c' } },
      { id: 'd', when: { segment: 'a' } },
    ];
    const message = problems(base([], { segments }));
    expect(message).toContain('segments[0] ("a"): refers to itself through a → b → a');
    expect(message).toContain('segments[2] ("c"): refers to itself through c → c');
    expect(message).not.toContain('("d")');
  });

  it('accepts a rule naming a segment the bundle does not define (it may be hydrated)', () => {
    expect(() => compileBundle(validateBundle(base([experience('a', 'hero', { audience: { rule: { segment: 'cdp-vip' } } })])))).not.toThrow();
  });

  it('rejects a stage rule with an unknown operator, naming the stage', () => {
    const error = rejection(base([], { stages: [{ id: 'aware', when: { frobnicate: [] } }] }));
    expect(error.code).toBe('bundle-rule-invalid');
    expect(error.message).toContain('stage "aware"');
  });

  it('lists every problem at once', () => {
    const message = problems(base([experience('a', 'hero', { default: 'ghost', audience: { segment: 'nope' }, schedule: { start: '2027-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' } })]));
    expect(message.split('; ')).toHaveLength(3);
  });
});
