import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BundleTrigger } from '../../src/bundle/schema.js';
import type { TriggerMemory } from '../../src/triggers/run-triggers.js';
import { startTriggers, type TriggerDeps } from '../../src/triggers/triggers-part.js';

afterEach(() => vi.useRealTimers());

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T10:00:00Z');
const trigger: BundleTrigger = { id: 'cart', when: { event: 'add_to_cart', absent: 'purchase', within: '30m' }, actions: [{ track: 'cart_abandoned' }, { trait: 'reminded', value: true }] };

/** The part bound to fake deps: an add to cart at T0, the clock at Date.now() (fake timers). */
function started(active: () => boolean) {
  const memory: Record<string, TriggerMemory> = {};
  const deps: TriggerDeps = {
    active,
    host: {
      now: () => Date.now(),
      sessionId: () => 's1',
      recent: () => [{ id: 'e1', name: 'add_to_cart', t: T0, properties: { sku: 'JKT-1' } }],
      count: () => 1,
      inSegment: () => false,
    },
    memory: (id) => memory[id],
    remember: (check) => {
      for (const fire of check.fired) memory[fire.trigger.id] = fire.memory;
    },
    track: vi.fn(),
    setTrait: vi.fn(),
    report: vi.fn(),
    changed: vi.fn(),
  };
  return { deps, triggers: startTriggers([trigger], deps) };
}

describe('the triggers part', () => {
  it('fires by its own timer when the window has passed, running every action once', () => {
    vi.useFakeTimers({ now: T0 + 5 * MIN });
    const { deps, triggers } = started(() => true);
    triggers.check();
    expect(deps.track).not.toHaveBeenCalled();
    vi.advanceTimersByTime(25 * MIN + 10);
    expect(deps.track).toHaveBeenCalledExactlyOnceWith('cart_abandoned', { trigger: 'cart', items: [{ sku: 'JKT-1' }] });
    expect(deps.setTrait).toHaveBeenCalledExactlyOnceWith('reminded', true);
    expect(deps.changed).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(60 * MIN);
    triggers.check();
    expect(deps.track).toHaveBeenCalledOnce();
  });

  it('does nothing when its timer comes after personalization was withdrawn, and stop clears the timer', () => {
    vi.useFakeTimers({ now: T0 + 5 * MIN });
    let active = true;
    const { deps, triggers } = started(() => active);
    triggers.check();
    active = false;
    vi.advanceTimersByTime(30 * MIN);
    expect(deps.track).not.toHaveBeenCalled();

    vi.setSystemTime(T0 + 5 * MIN);
    const other = started(() => true);
    other.triggers.check();
    other.triggers.stop();
    vi.advanceTimersByTime(30 * MIN);
    expect(other.deps.track).not.toHaveBeenCalled();
  });
});
