import { checkSteps } from '../bundle/check-steps.js';
import { finish } from '../bundle/run-in-slices.js';
import { decideAll } from '../decide/decide.js';
import { EMPTY_DECISION_STATE } from '../decide/decision-state.js';
import { journeyStage, segmentMembership } from '../decide/membership.js';
import { newPageView } from '../decide/page-view.js';
import type { Decision } from '../decide/types.js';
import { errorMessage } from '../errors.js';
import { modelsPart } from '../models/models-part.js';
import { STANDALONE_PARTS } from '../decide/compile-standalone.js';
import { DEFAULT_PROFILE_RULES } from '../profile/profile-data.js';
import type { ProfileSnapshot } from '../profile/profile.js';
import { createProfileState } from '../profile/profile-state.js';
import type { RuleHost } from '../rules/attune-operators.js';
import { requestContext } from './request-context.js';

/** One event of a simulated visitor's history. */
export interface SimulatedEvent {
  name: string;
  /** Epoch ms; default: now. */
  timestampMs?: number;
  sessionId?: string;
  properties?: Record<string, unknown>;
}

/** The visitor: ids, traits and the events their profile is built from, as the device would build it. */
export interface SimulatedVisitor {
  anonymousId?: string;
  userId?: string | null;
  traits?: Record<string, unknown>;
  events?: readonly SimulatedEvent[];
}

export interface Simulation {
  /** Every slot's decision, as `decideAll` gives it on the device (reason, experience, variant, content, scores). */
  decisions: readonly Decision[];
  /** The segments the visitor is in. */
  segments: readonly string[];
  stage: string | null;
  /** The profile the rules read. */
  profile: ProfileSnapshot;
  /** Rules that failed (`where: message`): they counted as false. */
  ruleErrors: string[];
}

/** What the page would read at `url` (campaign from its query), the given fields on top. */
function contextFor(context: unknown, nowMs: number): unknown {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) return {};
  const { url, ...given } = context as { url?: unknown; locale?: unknown };
  if (typeof url !== 'string') return context;
  return { ...requestContext(new URL(url, 'https://example.test/'), typeof given.locale === 'string' ? given.locale : 'en', nowMs), ...given };
}

/**
 * What a visitor with this history would see, decided by the device's own engine (the bundle
 * checked and compiled as browsers do, models included) with personalization granted: the
 * profile is built by applying `visitor.events` in order, `context` is what rules read as
 * `context` (with a `url`, the page context of that URL as the server decider reads it, campaign
 * included, the other given fields on top). Nothing is stored; experiments assign as they would on a first visit.
 * Throws the bundle's `AttuneError` when it is invalid.
 */
export function simulateVisitor(bundle: unknown, visitor: SimulatedVisitor, context: unknown, nowMs = Date.now()): Simulation {
  const ruleErrors: string[] = [];
  const onRuleError = (where: string, error: unknown): void => void ruleErrors.push(`${where}: ${errorMessage(error)}`);
  const profile = createProfileState(DEFAULT_PROFILE_RULES, () => undefined);
  profile.update({ anonymousId: visitor.anonymousId ?? 'simulated-visitor', userId: visitor.userId ?? null, traits: { ...(visitor.traits ?? {}) } });
  (visitor.events ?? []).forEach((event, i) =>
    profile.apply({ id: `simulated-${i}`, name: event.name, timestampMs: event.timestampMs ?? nowMs, sessionId: event.sessionId ?? 'simulated-session', properties: event.properties ?? {} }),
  );
  const host: RuleHost = {
    now: () => nowMs,
    count: (name, windowMs) => profile.count(name, windowMs, nowMs),
    stats: (name) => (Object.hasOwn(profile.get(nowMs).events, name) ? profile.get(nowMs).events[name] : undefined),
    recent: () => profile.stored().data.recent,
  };
  const compiled = finish(checkSteps(typeof bundle === 'string' ? JSON.parse(bundle) : bundle, host, { ...STANDALONE_PARTS, ...modelsPart }));
  const data = { context: contextFor(context, nowMs), profile: profile.get(nowMs) };
  // As on the device: rules read the profile, and the stage the bundle's stages give.
  const stage = journeyStage(compiled, data, onRuleError);
  const decisions = decideAll(compiled, {
    data,
    units: profile.identity(),
    sessionId: 'simulated-session',
    nowMs,
    personalizationAllowed: true,
    state: EMPTY_DECISION_STATE,
    pageView: newPageView(),
    onRuleError,
    onAssign: () => undefined,
  });
  return { decisions, segments: segmentMembership(compiled, data, onRuleError), stage, profile: data.profile, ruleErrors };
}
