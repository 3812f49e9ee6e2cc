import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile-rule.js';

// The engine reads `context`, `profile`, `event` and the fields below them by name (for speed);
// these must behave exactly like any other key, as json-logic-js reads them (own properties only).
const inherited = Object.create({ context: { page: { path: '/inherited' } }, profile: { counters: { buy: 2 } } }) as object;
const withGetter = { get context() { return { locale: 'fr-FR', device: { type: 'tablet' } }; } };
const DATA: unknown[] = [
  { context: { page: { path: '/shop', url: 'https://x.test/shop' }, device: { type: 'mobile' }, locale: 'en-GB', campaign: { source: null }, time: { hour: 0 } },
    profile: { traits: { plan: 'pro', vip: false }, counters: { page_view: 3, '0': 'zero' }, segments: ['a'], visits: 0 }, event: { name: 'x' } },
  { context: null, profile: 'text', event: [1, 2] },
  { context: { page: null, device: 'desktop', locale: '' }, profile: { counters: null, traits: [] } },
  { context: [{ page: 1 }], profile: { counters: { constructor: 1 } } },
  { page: { path: '/top' }, counters: { x: 1 }, locale: 'de', 0: { page: 'zero' } },
  inherited,
  withGetter,
  [{ context: 1 }],
  'context',
  42,
  null,
  undefined,
  {},
];
const PATHS = ['context', 'profile', 'event', 'context.page', 'context.page.path', 'context.page.url', 'context.device.type', 'context.locale',
  'context.locale.length', 'context.campaign.source', 'context.time.hour', 'context.0.page', 'profile.traits.plan', 'profile.traits.vip',
  'profile.counters.page_view', 'profile.counters.0', 'profile.counters.constructor', 'profile.segments.0', 'profile.visits', 'profile.length',
  'event.name', 'event.1', 'page.path', 'counters.x', 'locale', '0.page', 'context.constructor', 'context.page.path.length', 'profile.toString'];

const BUILT_IN = [Object, Array, String, Number, Boolean, Function].map((type) => type.prototype as object);

/** Whether walking `path` from `data` meets a member named like one of a built-in prototype (`constructor`, `toString`...) that the value inherits rather than owns. */
function readsInherited(data: unknown, path: string): boolean {
  let current = data;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return false;
    if (!Object.hasOwn(Object(current), key) && BUILT_IN.some((prototype) => key in prototype)) return key in Object(current);
    current = (current as Record<string, unknown>)[key];
  }
  return false;
}

describe('var on the fields Attune gives rules', () => {
  // json-logic-js also reads members inherited from built-in prototypes, by accident of its code
  // (issue 15): there Attune answers as for a path that is not there.
  it('reads each path like json-logic-js, with and without a default, on every kind of data, built-in members excepted', () => {
    for (const path of PATHS) {
      const rules: [rule: unknown, notThere: unknown][] = [
        [{ var: path }, null],
        [{ var: [path, 'fallback'] }, 'fallback'],
        [{ '==': [{ var: path }, '/shop'] }, false],
        [{ missing: [path] }, [path]],
      ];
      for (const [rule, notThere] of rules) {
        const compiled = compileRule(rule);
        for (const data of DATA) {
          const expected = readsInherited(data, path) ? notThere : jsonLogic.apply(rule, data);
          expect({ path, rule, data, value: compiled(data) }).toEqual({ path, rule, data, value: expected });
        }
      }
    }
  });
});
