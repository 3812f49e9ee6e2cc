import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decide/decide.js';
import {
  EMPTY_DECISION_STATE,
  localDayKey,
  parseDecisionState,
  recordAssignment,
  recordImpression,
  type DecisionState,
} from '../../src/decide/decision-state.js';
import { impressionFor, newPageView } from '../../src/decide/page-view.js';
import { compile, experience, input, NOW } from './decide-support.js';

/** `n` impressions of `id` in session `session` at `at`. */
function shown(n: number, id = 'promo', session = 's1', at = NOW, state: DecisionState = EMPTY_DECISION_STATE): DecisionState {
  for (let i = 0; i < n; i++) state = recordImpression(state, id, session, at);
  return state;
}

/** Local wall-clock time on the device running the tests (caps per day follow the visitor's midnight). */
const local = (hours: number, minutes = 0, ms = 0) => new Date(2026, 10, 23, hours, minutes, 0, ms).getTime();

describe('recordImpression', () => {
  it('counts impressions for the lifetime, the day and the session', () => {
    expect(shown(2).caps.promo).toEqual({ lifetime: 2, dayKey: localDayKey(NOW), day: 2, sessionId: 's1', session: 2 });
  });

  it('restarts the day count at local midnight', () => {
    const lateEvening = shown(3, 'promo', 's1', local(23, 59, 59_999));
    const afterMidnight = recordImpression(lateEvening, 'promo', 's1', local(24));
    expect(afterMidnight.caps.promo).toMatchObject({ lifetime: 4, day: 1, session: 4 });
  });

  it('keeps the day count until local midnight', () => {
    const morning = shown(3, 'promo', 's1', local(0));
    expect(recordImpression(morning, 'promo', 's1', local(23, 59, 59_999)).caps.promo).toMatchObject({ day: 4 });
  });

  it('restarts the session count in a new session', () => {
    expect(recordImpression(shown(3), 'promo', 's2', NOW).caps.promo).toMatchObject({ lifetime: 4, day: 4, sessionId: 's2', session: 1 });
  });

  it('never changes the state it is given', () => {
    const before = shown(1);
    recordImpression(before, 'promo', 's1', NOW);
    expect(before.caps.promo?.lifetime).toBe(1);
  });

  it('stores an experience id such as "__proto__" as a plain entry', () => {
    const state = recordImpression(EMPTY_DECISION_STATE, '__proto__', 's1', NOW);
    expect(Object.getPrototypeOf(state.caps)).toBe(Object.prototype);
    expect(Object.keys(state.caps)).toEqual(['__proto__']);
  });
});

describe('parseDecisionState', () => {
  it('reads back what JSON.stringify wrote', () => {
    const state = recordAssignment(shown(2), 'exp', { unit: 'anon-1', variant: 'b', at: NOW });
    expect(parseDecisionState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('drops malformed entries and keeps the others', () => {
    const stored = { assignments: { good: { unit: 'u', variant: 'v', at: 1 }, bad: { unit: 1 } }, caps: { ok: { lifetime: 1, dayKey: 20261123, day: 1, sessionId: 's', session: 1 }, no: 'x' } };
    expect(parseDecisionState(stored)).toEqual({ assignments: { good: stored.assignments.good }, caps: { ok: stored.caps.ok } });
  });

  it('gives an empty state for anything that is not a state', () => {
    for (const value of [null, 'x', 42, [], { assignments: [] }]) expect(parseDecisionState(value)).toEqual({ assignments: {}, caps: {} });
  });
});

describe('decide: frequency caps', () => {
  const capped = (cap: unknown) => compile([experience('promo', 'hero', { priority: 2, cap }), experience('fallback', 'hero')]);

  it('serves an experience until its session cap is reached, then lets the next candidate try', () => {
    const bundle = capped({ count: 2, per: 'session' });
    expect(decide(bundle, 'hero', input({ state: shown(1) })).experience).toBe('promo');
    expect(decide(bundle, 'hero', input({ state: shown(2) })).experience).toBe('fallback');
  });

  it('serves it again in a new session', () => {
    expect(decide(capped({ count: 2, per: 'session' }), 'hero', input({ state: shown(2), sessionId: 's2' })).experience).toBe('promo');
  });

  it('serves it again after local midnight when capped per day', () => {
    const bundle = capped({ count: 1, per: 'day' });
    const state = shown(1, 'promo', 's1', local(20));
    expect(decide(bundle, 'hero', input({ state, nowMs: local(23, 59, 59_999) })).experience).toBe('fallback');
    expect(decide(bundle, 'hero', input({ state, nowMs: local(24) })).experience).toBe('promo');
  });

  it('never serves it again once capped for the lifetime, whatever the session or day', () => {
    const later = NOW + 400 * 86_400_000;
    expect(decide(capped({ count: 3, per: 'lifetime' }), 'hero', input({ state: shown(3), sessionId: 'other', nowMs: later })).experience).toBe('fallback');
  });

  it('applies every cap of a list', () => {
    const bundle = capped([{ count: 5, per: 'lifetime' }, { count: 1, per: 'session' }]);
    expect(decide(bundle, 'hero', input({ state: shown(1) })).experience).toBe('fallback');
    expect(decide(bundle, 'hero', input({ state: shown(1), sessionId: 's2' })).experience).toBe('promo');
    expect(decide(bundle, 'hero', input({ state: shown(5), sessionId: 's9' })).experience).toBe('fallback');
  });

  it('reports capped with a message when no other candidate is served', () => {
    const bundle = compile([experience('promo', 'hero', { cap: { count: 1, per: 'session' } })]);
    expect(decide(bundle, 'hero', input({ state: shown(1) }))).toMatchObject({
      reason: 'capped',
      experience: null,
      content: { value: 'promo-default' },
      message: 'experience "promo" reached its frequency cap',
    });
  });

  it('caps through a JSON round trip of the state', () => {
    const state = parseDecisionState(JSON.parse(JSON.stringify(shown(2))));
    expect(decide(capped({ count: 2, per: 'session' }), 'hero', input({ state })).experience).toBe('fallback');
  });

  it('keeps serving an experience for the rest of the page view whose impression reached the cap', () => {
    const bundle = capped({ count: 1, per: 'session' });
    const pageView = newPageView();
    const first = decide(bundle, 'hero', input({ pageView }));
    const experienceId = impressionFor(first, pageView);
    const state = recordImpression(EMPTY_DECISION_STATE, experienceId!, 's1', NOW);
    expect(decide(bundle, 'hero', input({ pageView, state })).experience).toBe('promo');
    expect(decide(bundle, 'hero', input({ pageView: newPageView(), state })).experience).toBe('fallback');
  });
});

describe('impressionFor', () => {
  it('counts a shown experience once per page view', () => {
    const decision = decide(compile([experience('promo', 'hero')]), 'hero', input());
    const pageView = newPageView();
    expect(impressionFor(decision, pageView)).toBe('promo');
    expect(impressionFor(decision, pageView)).toBeUndefined();
    expect(impressionFor(decision, newPageView())).toBe('promo');
  });

  it('counts nothing when the default was shown', () => {
    const decision = decide(compile([experience('promo', 'hero', { audience: { rule: false } })]), 'hero', input());
    expect(impressionFor(decision, newPageView())).toBeUndefined();
  });
});
