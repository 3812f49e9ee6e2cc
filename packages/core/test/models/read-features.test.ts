import { describe, expect, it } from 'vitest';
import type { BundleModelFeature } from '../../src/bundle/schema.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { featureReader } from '../../src/models/read-features.js';
import { DAY, fakeHost, NOW } from '../rules/rule-hosts.js';

const bundle = validateBundle({
  schema: 'attune.bundle/1',
  id: 'features',
  version: 1,
  segments: [{ id: 'big-spender', when: { '>=': [{ var: 'profile.rfm.monetary' }, 500] } }],
  experiences: [],
  content: {},
});

/** The features read from `data` through a bundle compiled over a host with one add to cart a day ago. */
function read(features: BundleModelFeature[], data: unknown): number[] {
  const compiled = compileBundle(bundle, fakeHost([{ name: 'add_to_cart', t: NOW - DAY }]));
  const reader = featureReader(features, compiled.compile, 'model "m"');
  return [...reader(compiled.begin(data as { context: unknown; profile: unknown }, () => undefined, false))];
}

const feature = (from: unknown, fields: Partial<BundleModelFeature> = {}): BundleModelFeature => ({ name: `f${JSON.stringify(from)}`, from, ...fields });

describe('featureReader', () => {
  it('reads a path as {"var": path}, and a rule with the bundle\'s operators and segments', () => {
    const data = { context: { location: { country: 'FR' } }, profile: { rfm: { monetary: 800 } } };
    const x = read([feature('profile.rfm.monetary'), feature({ since: 'add_to_cart' }), feature({ segment: 'big-spender' }), feature({ '==': [{ var: 'context.location.country' }, 'FR'] })], data);
    expect(x).toEqual([800, 86_400, 1, 1]);
  });

  it('reads true and false as 1 and 0', () => {
    expect(read([feature({ '!!': [1] }), feature({ '!': [1] })], {})).toEqual([1, 0]);
  });

  it('takes the default for what is not a finite number: absent, null, text, or an event never seen', () => {
    const features = [feature('profile.traits.age'), feature('profile.rfm.recencyDays'), feature('profile.traits.plan'), feature({ since: 'purchase' })].map((f) => ({ ...f, default: -1 }));
    expect(read(features, { profile: { rfm: { recencyDays: null }, traits: { plan: '42' } } })).toEqual([-1, -1, -1, -1]);
  });

  it('leaves a value missing (NaN) without a default', () => {
    expect(read([feature('profile.traits.age'), feature({ since: 'purchase' })], {})).toEqual([Number.NaN, Number.NaN]);
  });

  it('standardizes as (value - mean) / scale, the default too', () => {
    const features = [feature('context.a', { mean: 10, scale: 4 }), feature('context.b', { mean: 10, scale: 4, default: 2 }), feature('context.c', { scale: 2 })];
    expect(read(features, { context: { a: 18, c: 3 } })).toEqual([2, -2, 1.5]);
  });

  it('refills the same array on each evaluation', () => {
    const compiled = compileBundle(bundle);
    const reader = featureReader([feature('context.a')], compiled.compile, 'model "m"');
    const first = reader({ context: { a: 1 } });
    expect(reader({ context: { a: 2 } })).toBe(first);
    expect(first[0]).toBe(2);
  });

  it('rejects a feature rule that does not compile, naming the model and the feature', () => {
    const compiled = compileBundle(bundle);
    expect(() => featureReader([feature({ score: 'x' }, { name: 'propensity' })], compiled.compile, 'model "m"')).toThrow(
      expect.objectContaining({ code: 'bundle-rule-invalid', message: expect.stringContaining('model "m" features[0] ("propensity"): ') }),
    );
  });
});
