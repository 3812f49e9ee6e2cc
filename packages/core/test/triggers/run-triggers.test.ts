import { describe, expect, it, vi } from 'vitest';
import type { BundleTrigger } from '../../src/bundle/schema.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { checkBundle } from '../../src/bundle/check-bundle.js';
import { triggerProblems } from '../../src/triggers/check-trigger.js';
import { createTriggerRunner, type TriggerHost, type TriggerMemory } from '../../src/triggers/run-triggers.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T10:00:00Z');

/** A host over a list of events (name at minute m after T0, with properties), at minute `at`. */
function host(events: [string, number, Record<string, unknown>?][], at: number, segments: string[] = [], session = 's1'): TriggerHost {
  const recent = events.map(([name, m, properties = {}], i) => ({ id: `e${i}`, name, t: T0 + m * MIN, properties }));
  return {
    now: () => T0 + at * MIN,
    sessionId: () => session,
    recent: () => recent.filter((e) => e.t <= T0 + at * MIN),
    count: (name, windowMs) => recent.filter((e) => e.name === name && e.t <= T0 + at * MIN && (windowMs === undefined || e.t > T0 + at * MIN - windowMs)).length,
    inSegment: (id) => segments.includes(id),
  };
}

const cartAbandoned: BundleTrigger = {
  id: 'cart-abandoned',
  when: { event: 'add_to_cart', absent: 'purchase', within: '30m' },
  actions: [{ track: 'cart_abandoned' }, { eligible: 'cart-reminder' }],
};

/** Runs checks, remembering firings like the client does. */
function runner(triggers: BundleTrigger[]) {
  const memory: Record<string, TriggerMemory> = {};
  const run = createTriggerRunner(triggers, (message) => {
    throw new Error(message);
  });
  return (h: TriggerHost) => {
    const result = run.check(h, (id) => memory[id]);
    for (const [id, m] of Object.entries(result.seen)) memory[id] = m;
    for (const fire of result.fired) memory[fire.trigger.id] = fire.memory;
    return result;
  };
}

describe('journey triggers', () => {
  it('"A then no B within T": fires once T has passed since the last A without B, with the items, once', () => {
    const check = runner([cartAbandoned]);
    const events: [string, number, Record<string, unknown>?][] = [['add_to_cart', 0, { sku: 'JKT-1' }], ['add_to_cart', 10, { sku: 'HAT-2' }]];
    // 29 minutes after the last add: not yet, and the deadline is 40 minutes in.
    expect(check(host(events, 39))).toMatchObject({ fired: [], next: T0 + 40 * MIN });
    const fired = check(host(events, 40)).fired;
    expect(fired.map((f) => f.trigger.id)).toEqual(['cart-abandoned']);
    expect(fired[0]!.items).toEqual([{ sku: 'JKT-1' }, { sku: 'HAT-2' }]);
    expect(check(host(events, 90)).fired).toEqual([]); // at most once (default cap: once ever)
  });

  it('does not fire when B came within T, nor for an A before it', () => {
    const check = runner([cartAbandoned]);
    expect(check(host([['add_to_cart', 0], ['purchase', 20]], 60)).fired).toEqual([]);
    // Bought, then added again and left: fires for the new cart only.
    const fired = check(host([['add_to_cart', 0, { sku: 'A' }], ['purchase', 5], ['add_to_cart', 10, { sku: 'B' }]], 45)).fired;
    expect(fired[0]!.items).toEqual([{ sku: 'B' }]);
  });

  it('counts time that passed while the visitor was away: the first check after coming back fires', () => {
    const check = runner([cartAbandoned]);
    expect(check(host([['add_to_cart', 0]], 2 * 24 * 60)).fired).toHaveLength(1);
  });

  it('fires again after new activity when its cap allows: once per session', () => {
    const check = runner([{ ...cartAbandoned, cap: { count: 1, per: 'session' } }]);
    expect(check(host([['add_to_cart', 0]], 31, [], 's1')).fired).toHaveLength(1);
    expect(check(host([['add_to_cart', 0], ['add_to_cart', 40]], 80, [], 's1')).fired).toHaveLength(0); // capped in s1
    expect(check(host([['add_to_cart', 0], ['add_to_cart', 40]], 80, [], 's2')).fired).toHaveLength(1);
    expect(check(host([['add_to_cart', 0], ['add_to_cart', 40]], 200, [], 's3')).fired).toHaveLength(0); // nothing new since
  });

  it('"count of A ≥ N within a window" fires when the count reaches N', () => {
    const check = runner([{ id: 'browsing', when: { event: 'product_view', count: 3, within: '1h' }, actions: [{ trait: 'browser', value: true }] }]);
    expect(check(host([['product_view', 0], ['product_view', 10]], 11)).fired).toEqual([]);
    expect(check(host([['product_view', 0], ['product_view', 10], ['product_view', 70]], 71)).fired).toEqual([]); // the first is out of the hour
    expect(check(host([['product_view', 0], ['product_view', 10], ['product_view', 20]], 21)).fired).toHaveLength(1);
  });

  it('"segment entered" fires on entering, not while inside, and again after leaving and entering when its cap allows', () => {
    const check = runner([{ id: 'vip-welcome', when: { segment: 'vip' }, actions: [{ track: 'vip_welcomed' }], cap: { count: 5, per: 'lifetime' } }]);
    expect(check(host([], 0, [])).fired).toEqual([]);
    expect(check(host([], 1, ['vip'])).fired).toHaveLength(1);
    expect(check(host([], 2, ['vip'])).fired).toEqual([]);
    expect(check(host([], 3, [])).fired).toEqual([]);
    expect(check(host([], 4, ['vip'])).fired).toHaveLength(1);
  });

  it('names what is wrong with a trigger, and the bundle check refuses it', () => {
    expect(triggerProblems({ id: 't', when: { event: 'a', within: '30m' }, actions: [{ track: 'x' }] })).toEqual([expect.stringMatching(/exactly one of absent .* count .* or segment/)]);
    expect(triggerProblems({ id: 't', when: { event: 'a', absent: 'b' }, actions: [{ track: 'x' }] })).toEqual([expect.stringMatching(/absent needs within/)]);
    expect(triggerProblems({ id: 't', when: { event: 'a', absent: 'b', within: 'soon' }, actions: [{ track: 'x', trait: 'y' }] })).toEqual([
      expect.stringMatching(/within: .*not a duration/),
      expect.stringMatching(/actions\[0\]: give exactly one of track, trait or eligible/),
    ]);
    expect(triggerProblems({ id: 't', when: { segment: 's' }, actions: [{ trait: 'y', value: { nested: true } }] })).toEqual([expect.stringMatching(/value: .*string, a finite number, a boolean or null/)]);
    const bundle = { schema: 'attune.bundle/1', id: 'b', version: 1, experiences: [], content: {}, triggers: [{ id: 't', when: { count: 2 }, actions: [{ track: 'x' }] }] };
    expect(() => checkBundle(bundle)).toThrow(/triggers\[0\] \("t"\): when: count needs the event it follows/);
    expect(() => validateBundle({ ...bundle, triggers: [{ id: 't', when: {}, actions: [] }] })).toThrow(/triggers\[0\]\.actions/);
  });

  it('leaves out a trigger with problems, reporting it, and runs the others', () => {
    const report = vi.fn();
    const run = createTriggerRunner([{ id: 'bad', when: { count: 2 }, actions: [{ track: 'x' }] }, cartAbandoned], report);
    expect(run.triggers.map((t) => t.id)).toEqual(['cart-abandoned']);
    expect(report).toHaveBeenCalledWith(expect.stringContaining('trigger "bad" is ignored'));
  });
});
