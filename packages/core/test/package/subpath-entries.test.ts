// The subpath entry points ('@attune/core/rules', '/assign', '/adapters'), imported by their package
// names as an application does (vitest maps them to the sources; the built package's exports are
// checked by scripts/check-packages.mjs with publint and attw).
import * as adapters from '@attune/core/adapters';
import * as assign from '@attune/core/assign';
import * as rules from '@attune/core/rules';
import * as root from '@attune/core';
import { describe, expect, it } from 'vitest';
import { event, SENT_AT } from '../sync/adapters/golden.js';

describe('@attune/core/rules', () => {
  it('compiles and evaluates a rule', () => {
    const isReturning = rules.compileRule({ '>=': [{ var: 'profile.counters.page_view' }, 2] });
    expect(isReturning({ profile: { counters: { page_view: 3 } } })).toBe(true);
    expect(rules.truthy([])).toBe(false);
  });

  it("evaluates Attune's operators over a rule host", () => {
    const rule = rules.compileRule({ starts_with: [{ var: 'context.page.path' }, '/sale'] }, { builders: rules.attuneOperators(rules.EMPTY_RULE_HOST) });
    expect(rule({ context: { page: { path: '/sale/shoes' } } })).toBe(true);
  });

  it("throws the root entry's AttuneError for an unknown operator, so instanceof holds across entries", () => {
    let thrown: unknown;
    try {
      rules.compileRule({ nope: [1] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(root.AttuneError);
    expect((thrown as InstanceType<typeof rules.AttuneError>).code).toBe('rule-unknown-operator');
  });
});

describe('@attune/core/assign', () => {
  it('assigns the example of docs/experiments.md exactly (murmur3 over experimentId:unitId)', () => {
    const experiment = { id: 'checkout-cta', holdout: 0.05, variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }] };
    expect(assign.assignVariant(experiment, 'user-2')).toEqual({ status: 'assigned', variant: 'b', u: 0.8006303466390818 });
    expect(assign.murmur3_x86_32('checkout-cta:user-2')).toBe(0xccf61c43);
  });

  it('assigns each factor of a multivariate test', () => {
    const result = assign.assignFactors({ id: 'mvt', factors: [{ id: 'headline', levels: [{ id: 'a' }, { id: 'b' }] }] }, 'user-2');
    expect(result.status).toBe('assigned');
  });
});

describe('@attune/core/adapters', () => {
  it('turns a batch into requests in each format', () => {
    const options = { url: 'https://collector.example', sentAt: SENT_AT, writeKey: 'wk' };
    expect(adapters.jsonAdapter([event(1)], options)).toHaveLength(1);
    expect(adapters.segmentAdapter()([event(1)], options)[0]?.headers.authorization).toBe(`Basic ${btoa('wk:')}`);
    expect(adapters.snowplowAdapter({ vendor: 'com.example' })([event(1)], options)[0]?.url).toBe('https://collector.example/com.snowplowanalytics.snowplow/tp2');
  });
});

describe('subpath entries', () => {
  it('export the very functions of the root entry (one copy of each module)', () => {
    for (const entry of [rules, assign, adapters] as Record<string, unknown>[]) {
      for (const [name, value] of Object.entries(entry)) expect(value, name).toBe((root as Record<string, unknown>)[name]);
    }
  });
});
