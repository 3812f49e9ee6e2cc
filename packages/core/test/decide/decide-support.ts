import { validateBundle } from '../../src/bundle/validate-bundle.js';
import type { RuleHost } from '../../src/rules/attune-operators.js';
import type { CompiledBundle, DecisionData } from '../../src/decide/compile-bundle.js';
import { compileBundle } from '../../src/decide/compile-standalone.js';
import type { DecideInput } from '../../src/decide/decide.js';
import { EMPTY_DECISION_STATE } from '../../src/decide/decision-state.js';
import { newPageView } from '../../src/decide/page-view.js';

export const NOW = Date.parse('2026-11-23T12:00:00Z');

type Json = Record<string, unknown>;

/**
 * An experience of `slot` with a `default` variant (content "<id>-default") and a personalized
 * one named like the experience (content "<id>"); `extra` overrides any field.
 */
export function experience(id: string, slot: string, extra: Json = {}): Json {
  return {
    id,
    slot,
    variants: [
      { id: 'default', content: `${id}-default` },
      { id, content: id },
    ],
    default: 'default',
    ...extra,
  };
}

/** Every content id the experiences (and factor levels) name, as text equal to the id. */
function contentFor(experiences: readonly Json[]): Json {
  const content: Json = {};
  const add = (id: unknown) => {
    if (typeof id === 'string') content[id] = { type: 'text', value: id };
  };
  for (const e of experiences) {
    for (const v of (e.variants as Json[] | undefined) ?? []) add(v.content);
    const factors = (e.experiment as { factors?: { levels: Json[] }[] } | undefined)?.factors ?? [];
    for (const f of factors) for (const level of f.levels) add(level.content);
  }
  return content;
}

/** A raw bundle (not validated) around `experiences`, with text content for every id they name. */
export function rawBundle(experiences: readonly Json[], extra: Json = {}): Json {
  return { schema: 'attune.bundle/1', id: 'test', version: 1, experiences, content: contentFor(experiences), ...extra };
}

export function compile(experiences: readonly Json[], extra: Json = {}, host?: RuleHost): CompiledBundle {
  return compileBundle(validateBundle(rawBundle(experiences, extra)), host);
}

/** Rule data: `views` product views; `profile`/`context` extend it. */
export function data(views = 0, profile: Json = {}, context: Json = {}): DecisionData {
  return { context, profile: { counters: { product_viewed: views }, segments: [], ...profile } };
}

/** A decision input for an anonymous visitor "anon-1" in session "s1" at NOW, with consent. */
export function input(overrides: Partial<DecideInput> = {}): DecideInput {
  return {
    data: data(),
    units: { anonymousId: 'anon-1', userId: null },
    sessionId: 's1',
    nowMs: NOW,
    personalizationAllowed: true,
    state: EMPTY_DECISION_STATE,
    pageView: newPageView(),
    onRuleError: () => {},
    ...overrides,
  };
}

/** An audience rule true once the visitor viewed `n` products. */
export const viewed = (n: number) => ({ rule: { '>=': [{ var: 'profile.counters.product_viewed' }, n] } });
