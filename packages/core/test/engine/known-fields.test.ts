import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/engine/compile-rule.js';

// The engine reads `context`, `profile`, `event` and the fields below them by name (for speed);
// these must behave exactly like any other key, as json-logic-js reads them.
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

describe('var on the fields Attune gives rules', () => {
  it('reads each path like json-logic-js, with and without a default, on every kind of data', () => {
    for (const path of PATHS) {
      for (const rule of [{ var: path }, { var: [path, 'fallback'] }, { '==': [{ var: path }, '/shop'] }, { missing: [path] }]) {
        const compiled = compileRule(rule);
        for (const data of DATA) expect({ path, rule, data, value: compiled(data) }).toEqual({ path, rule, data, value: jsonLogic.apply(rule, data) });
      }
    }
  });
});
