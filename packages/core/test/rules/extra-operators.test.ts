import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { compileBundle as compileWithParts } from '../../src/decide/compile-bundle.js';
import { decideAll } from '../../src/decide/decide.js';
import { EMPTY_RULE_HOST, profileOperators } from '../../src/rules/attune-operators.js';
import { compileRule } from '../../src/rules/compile-rule.js';
import { bundleRules, EXTRA_OPERATOR_NAMES, usesExtraOperators } from '../../src/rules/extra-operator-names.js';
import { extraOperators } from '../../src/rules/extra-operators.js';
import { coreOperator } from '../../src/rules/operators.js';
import { data, experience, input, rawBundle } from '../decide/decide-support.js';

/** Every JSON Logic operator (https://jsonlogic.com/operations.html) and every Attune one. */
const JSON_LOGIC = ['var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and', '>', '>=', '<', '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all', 'none', 'some', 'merge', 'in', 'cat', 'substr', 'log'];
const ATTUNE = ['count', 'since', 'first_seen', 'last_seen', 'affinity', 'starts_with', 'ends_with', 'sem_ver', 'hour', 'weekday', 'in_range'];

describe('the operators off the critical path', () => {
  const onCriticalPath = (name: string) => coreOperator(name) !== undefined || profileOperators(EMPTY_RULE_HOST)(name) !== undefined;
  const inPart = (name: string) => extraOperators(EMPTY_RULE_HOST)(name) !== undefined;

  it('are every operator, each in exactly one place, and the names the client scans for are the part’s', () => {
    for (const name of [...JSON_LOGIC, ...ATTUNE]) expect(onCriticalPath(name) !== inPart(name), name).toBe(true);
    expect([...JSON_LOGIC, ...ATTUNE].filter(inPart).sort()).toEqual([...EXTRA_OPERATOR_NAMES].sort());
    expect(inPart('toString') || inPart('__proto__') || onCriticalPath('constructor')).toBe(false);
  });

  it('are all in compileRule, with no part to load', () => {
    expect(compileRule({ cat: [{ substr: ['hello', 0, 2] }, { '+': [1, 2] }] })({})).toBe('he3');
    expect(compileRule({ reduce: [[1, 2, 3], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] })({})).toBe(6);
  });

  it('are found in every place a bundle has rules, and not in its content', () => {
    const rule = { '>': [{ '+': [1, 2] }, 2] };
    for (const [place, bundle] of [
      ['a stage', { stages: [{ id: 's', when: rule }] }],
      ['a segment', { segments: [{ id: 's', when: { and: [true, rule] } }] }],
      ['an audience', { experiences: [{ id: 'e', audience: { rule } }] }],
      ['a model feature', { models: [{ id: 'm', features: [{ name: 'f', from: rule }] }] }],
      ['a recommender', { recommenders: [{ id: 'r', rule }] }],
    ] as const) {
      expect(bundleRules(bundle).some(usesExtraOperators), place).toBe(true);
    }
    expect(bundleRules({ content: { a: { type: 'json', value: { cat: ['x'] } } }, segments: [{ id: 's', when: { '==': [1, 1] } }] }).some(usesExtraOperators)).toBe(false);
    expect(bundleRules(null)).toEqual([]);
    expect(bundleRules({ segments: 'not a list', experiences: [null, 5] }).some(usesExtraOperators)).toBe(false);
  });

  it('without the part, a rule using one fails when it runs (its default, reason error) and the rest of the bundle decides', () => {
    const bundle = validateBundle(
      rawBundle([
        experience('uses-cat', 'hero', { audience: { rule: { '==': [{ cat: ['a', 'b'] }, 'ab'] } } }),
        experience('plain', 'note', { audience: { rule: { '>=': [{ var: 'profile.counters.product_viewed' }, 1] } } }),
      ]),
    );
    const [hero, note] = decideAll(compileWithParts(bundle), input({ data: data(1) }));
    expect(hero).toMatchObject({ slot: 'hero', reason: 'error', variant: 'default' });
    expect(hero?.message).toContain('"cat"');
    expect(note).toMatchObject({ slot: 'note', reason: 'matched', variant: 'plain' });

    const [withPart] = decideAll(compileWithParts(bundle, undefined, { operators: extraOperators }), input({ data: data(1) }));
    expect(withPart).toMatchObject({ slot: 'hero', reason: 'matched', variant: 'uses-cat' });
  });
});
