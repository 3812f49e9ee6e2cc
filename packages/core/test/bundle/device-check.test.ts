import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBundleOnDevice } from '../../src/bundle/device-check.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import { AttuneError } from '../../src/errors.js';
import { experience, rawBundle } from '../decide/decide-support.js';
import { shopBundle } from '../fixtures.js';
import { thrownAttuneError } from '../support.js';
import { logisticModel, treeModel } from '../models/small-models.js';
import { deep, mutatedBundle, mutatedRecommendersAndBandit, validBundle } from './arbitrary-bundle.js';

const DEEP = '<deep>';

const RUNS = { numRuns: 400 };

/** What a validator does with a value: the bundle it returns, or the AttuneError it throws (anything else is thrown on). */
function outcome(validate: (value: unknown) => unknown, value: unknown): { bundle: unknown } | { error: AttuneError } {
  try {
    return { bundle: validate(value) };
  } catch (error) {
    if (error instanceof AttuneError && error.code === 'bundle-invalid') return { error };
    throw error;
  }
}

const accepted = (validate: (value: unknown) => unknown, value: unknown): boolean => 'bundle' in outcome(validate, value);

/**
 * The value as JSON.parse would give it (NaN and Infinity become null, undefined keys go, a BigInt
 * becomes a number); `deep` is kept (JSON.stringify would overflow the stack).
 */
const asJson = (value: unknown): unknown => {
  const text = JSON.stringify(value, (_, item: unknown) => (item === deep ? DEEP : typeof item === 'bigint' ? Number(item) : item));
  return text === undefined ? undefined : JSON.parse(text, (_, item: unknown) => (item === DEEP ? deep : item));
};

const deviceMessage = (value: unknown): string => thrownAttuneError(() => validateBundleOnDevice(value)).message;

describe('the device bundle check against validateBundle (zod)', () => {
  it('accepts every valid bundle and returns the same bundle as validateBundle', () => {
    fc.assert(
      fc.property(validBundle, (bundle) => {
        expect(validateBundleOnDevice(bundle)).toEqual(validateBundle(bundle));
      }),
      RUNS,
    );
  });

  it('throws nothing but bundle-invalid, and accepts no changed bundle that validateBundle rejects', () => {
    fc.assert(
      fc.property(mutatedBundle, (value) => {
        const device = outcome(validateBundleOnDevice, value);
        if ('bundle' in device) expect(outcome(validateBundle, value)).toEqual(device);
      }),
      RUNS,
    );
  });

  it('accepts exactly the JSON bundles validateBundle accepts', () => {
    fc.assert(
      fc.property(mutatedBundle.map(asJson), (value) => {
        expect(accepted(validateBundleOnDevice, value)).toBe(accepted(validateBundle, value));
      }),
      RUNS,
    );
  });

  it('accepts exactly the JSON recommenders and bandits validateBundle accepts, returning the same bundle', () => {
    fc.assert(
      fc.property(mutatedRecommendersAndBandit.map(asJson), (value) => {
        const device = outcome(validateBundleOnDevice, value);
        expect('bundle' in device).toBe(accepted(validateBundle, value));
        if ('bundle' in device) expect(validateBundle(value)).toEqual(device.bundle);
      }),
      // Small bundles: more runs for the same time, so that changes reach each field.
      { numRuns: 1500 },
    );
  });

  it('throws nothing but bundle-invalid on any JSON value or any value at all, and accepts none that validateBundle rejects', () => {
    const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), anything), (value) => {
        if (accepted(validateBundleOnDevice, value)) expect(accepted(validateBundle, value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('gives compilation a bundle it compiles or rejects with a typed error', () => {
    fc.assert(
      fc.property(mutatedBundle, (value) => {
        const device = outcome(validateBundleOnDevice, value);
        if (!('bundle' in device)) return;
        try {
          compileBundle(device.bundle as ReturnType<typeof validateBundleOnDevice>);
        } catch (error) {
          expect(error).toBeInstanceOf(AttuneError);
        }
      }),
      RUNS,
    );
  });
});

describe('a bundle given as an object', () => {
  it('is rejected, not looped over forever, when a rule contains itself', () => {
    const when: Record<string, unknown> = { and: [true] };
    (when.and as unknown[]).push(when);
    const bundle = shopBundle({ segments: [{ id: 'engaged', when }] });
    for (const validate of [validateBundleOnDevice, validateBundle]) {
      expect(thrownAttuneError(() => compileBundle(validate(bundle)))).toMatchObject({ code: 'bundle-rule-invalid', message: expect.stringContaining('segment "engaged": nested too deeply') });
    }
  });

  it('is rejected with a message when its version is a BigInt or nested too deeply to print', () => {
    let nested: unknown = 1;
    for (let i = 0; i < 20_000; i++) nested = [nested];
    expect(thrownAttuneError(() => validateBundle(shopBundle({ version: 1n })))).toMatchObject({ code: 'bundle-invalid', message: expect.stringContaining('version: bigint: give a whole number') });
    expect(deviceMessage(shopBundle({ version: nested }))).toContain('version: object: give a whole number');
  });
});

describe('validateBundle never throws but bundle-invalid', () => {
  it('on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void outcome(validateBundle, value)), RUNS);
  });

  it('on any value at all', () => {
    const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true });
    fc.assert(fc.property(anything, (value) => void outcome(validateBundle, value)), RUNS);
  });

  it('on a changed bundle', () => {
    fc.assert(fc.property(mutatedBundle, (value) => void outcome(validateBundle, value)), RUNS);
  });
});

describe('the device bundle check names the common mistakes', () => {
  it('says what is wrong with the schema tag, the id and the version', () => {
    expect(deviceMessage(shopBundle({ schema: 'attune.bundle/2' }))).toContain('schema: invalid value (expected "attune.bundle/1")');
    expect(deviceMessage(shopBundle({ id: '' }))).toContain('id: too small (at least 1)');
    expect(deviceMessage(shopBundle({ version: '1.0' }))).toContain('version: "1.0": give a whole number >= 0 (or a string of 1 to 15 digits)');
    const { version: _, ...unversioned } = shopBundle();
    expect(deviceMessage(unversioned)).toContain('version: missing');
  });

  it('names a value that is not a bundle at all', () => {
    for (const value of [null, 'bundle', [], 42]) expect(deviceMessage(value)).toContain('(root): invalid type (expected object)');
  });

  it('says experiences must be an array and each experience needs a slot and variants', () => {
    expect(deviceMessage(shopBundle({ experiences: {} }))).toContain('experiences: invalid type (expected array)');
    const message = deviceMessage(rawBundle([{ id: 'e', variants: [] }]));
    expect(message).toContain('experiences[0].slot: missing');
    expect(message).toContain('experiences[0].variants: too small (at least 1)');
  });

  it('names a variant without content and content that does not exist', () => {
    const bundle = rawBundle([experience('a', 'hero', { variants: [{ id: 'v' }, { id: 'w', content: 'ghost' }] })]);
    const message = deviceMessage(bundle);
    expect(message).toContain('experiences[0].variants[0].content: missing');
    const dangling = rawBundle([experience('a', 'hero', { variants: [{ id: 'w', content: 'ghost' }], default: undefined })], { content: { a: { type: 'text', value: 'A' } } });
    expect(deviceMessage(dangling)).toContain(
      'experiences[0] ("a"): variant "w" names content "ghost" that is not in content',
    );
  });

  it('says what a field of a wrong value expects (its type, its values, its bounds) in the words of validateBundle', () => {
    const bundle = rawBundle([experience('a', 'hero', { priority: 'high', experiment: { id: 'x', traffic: 2, holdout: -0.5, unit: 'email' }, variants: [{ id: 'v', weight: -1, content: 'a' }] })], {
      content: { a: { type: 'html', value: 'x' } },
    });
    const message = deviceMessage(bundle);
    expect(message).toContain('experiences[0].experiment.unit: invalid value (expected "anonymousId" or "userId")');
    expect(message).toContain('experiences[0].variants[0].weight: too small (at least 0)');
    expect(message.split('; ')).toHaveLength(6);
    expect(message).toBe(thrownAttuneError(() => validateBundle(bundle)).message);
  });

  it('names bad caps, text values and dates as validateBundle does', () => {
    const bundle = rawBundle([experience('a', 'hero', { cap: [{ count: 1.5, per: 'week' }], schedule: { start: 'tomorrow' } })], { content: { a: { type: 'text', value: 1 }, 'a-default': { type: 'text', value: '' } } });
    const message = deviceMessage(bundle);
    expect(message).toContain('experiences[0].cap[0].count: 1.5 is not a whole number');
    expect(message).toContain('experiences[0].cap[0].per: invalid value (expected "session" or "day" or "lifetime")');
    expect(message).toContain('content["a"].value: a text content\'s value must be a string');
    expect(message).toBe(thrownAttuneError(() => validateBundle(bundle)).message);
    expect(deviceMessage(shopBundle({ expiresAt: '2026-02-31T00:00:00Z' }))).toContain('expiresAt: "2026-02-31T00:00:00Z" is not a real date-time');
  });

  it('names a model of an unknown type, and model fields of the wrong kind, in the words of validateBundle', () => {
    const tree = treeModel().trees[0]!;
    const bundle = shopBundle({
      models: [{ id: 'a', type: 'forest' }, logisticModel({ weights: [1, '2'] }), treeModel({ id: 'c', link: 'probit', trees: [{ ...tree, left: 'none' }], features: [{ name: 'x' }] })],
    });
    const message = deviceMessage(bundle);
    expect(message).toContain('models[0].type: invalid value (expected "logistic" or "tree-ensemble")');
    expect(message).toContain('models[1].weights[1]: invalid type (expected number)');
    expect(message).toContain('models[2].features[0].from: missing');
    expect(message).toContain('models[2].trees[0].left: invalid type (expected array)');
    expect(message).toContain('models[2].link: invalid value (expected "logistic" or "identity")');
    expect(message.split('; ')).toHaveLength(5);
    expect(() => validateBundle(bundle)).toThrow('models[2].link: invalid value (expected "logistic" or "identity")');
  });

  it('names duplicate ids, dangling segments and segment cycles', () => {
    const message = deviceMessage(
      rawBundle([experience('a', 'hero', { audience: { segment: 'nope' } }), experience('a', 'side')], {
        segments: [
          { id: 's', when: { segment: 't' } },
          { id: 't', when: { segment: 's' } },
        ],
      }),
    );
    expect(message).toContain('experiences[1]: id "a" is used twice in experiences');
    expect(message).toContain('audience.segment "nope" is not defined in segments');
    expect(message).toContain('refers to itself through s → t → s');
  });
});
