import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile-rule.js';

/**
 * The JSON Logic reference test suite (https://jsonlogic.com/tests.json, the suite json-logic-js
 * runs), every case, without its section comments: [rule, data, expected]. Non-rules passed
 * through, every operator, truthiness of [] / "0", if / elseif chains, var with defaults, indices
 * and computed paths, missing / missing_some, merge, and map / filter / reduce / all / none / some.
 */
const cases = JSON.parse(readFileSync(new URL('./jsonlogic-tests.json', import.meta.url), 'utf8')) as Array<[unknown, unknown, unknown]>;

describe('the JSON Logic reference suite', () => {
  it('has every case of the published suite', () => {
    expect(cases).toHaveLength(278);
  });

  it.each(cases.map(([rule, data, expected]) => [JSON.stringify(rule), JSON.stringify(data), expected, rule, data] as const))(
    '%s with %s',
    (_rule, _data, expected, rule, data) => {
      expect(compileRule(rule)(data)).toStrictEqual(expected);
    },
  );
});
