import type { RuleErrorHandler } from '../decide/types.js';
import { checkSteps } from '../bundle/check-steps.js';
import { modelsPart } from '../models/models-part.js';
import { STANDALONE_PARTS } from '../decide/compile-standalone.js';
import type { RuleHost } from '../rules/attune-operators.js';
import { decideAll } from '../decide/decide.js';
import { EMPTY_DECISION_STATE } from '../decide/decision-state.js';
import { parseForceParam } from '../decide/force-param.js';
import { ERROR, FORCED, HELD_OUT, NOT_IN_AUDIENCE, SKIPPED, UNSCHEDULED } from '../decide/outcomes.js';
import { newPageView } from '../decide/page-view.js';
import { finish } from '../bundle/run-in-slices.js';
import { EMPTY_PROFILE } from '../profile/profile.js';
import { ID_COOKIE, type ServerDecisions, type ServerSlot } from './server-decisions.js';
import { deviceRead, segmentReads } from './device-reads.js';
import { firstLanguage, readCookie, requestContext } from './request-context.js';
import { locationOf } from '../context/location.js';

const warnLocation = (message: string): void => console.warn(`[attune] decide(request): ${message}`);

/** What a server knows of a page request. */
export interface ServerRequest {
  /** The page's absolute URL: its path, query (UTM parameters, `attune_force`) are what rules see. */
  url: string | URL;
  /** The Accept-Language header: its first language is `context.locale`. */
  acceptLanguage?: string | null | undefined;
  /** The Cookie header: the id cookie (see `syncIdCookie`) says personalization was granted, and who the visitor is. */
  cookie?: string | null | undefined;
  /** The decision clock, epoch ms (schedules, `hour`/`weekday` in a named time zone). Default: now. */
  nowMs?: number | undefined;
  /**
   * Where the visitor is, as your CDN or server knows it (e.g. Cloudflare's CF-IPCountry header):
   * `context.location`. Write the same values into the page's `attune-country` / `attune-region`
   * meta tags so the browser decides alike.
   */
  location?: { country?: string | undefined; region?: string | undefined } | undefined;
}

export interface ServerDeciderOptions {
  /** The id cookie's name. Default `attune_id`. */
  cookieName?: string;
  /** A rule threw (it counted as false for that experience). Default: ignored. */
  onRuleError?: RuleErrorHandler;
}

/** An experience of the bundle and what of it the device alone can decide (null: the server can). */
export interface ServerExperience {
  readonly id: string;
  readonly slot: string;
  readonly needs: string | null;
}

export interface ServerDecider {
  /** Every slot's decision for this request: final, or pending when it depends on the device. Never throws for a bad cookie or header. */
  decide(request: ServerRequest): ServerDecisions;
  /** What each experience needs from the device, if anything (docs/ssr.md). */
  readonly experiences: readonly ServerExperience[];
}

/**
 * Decides slots on a server (Node, Next.js server components) from the bundle and the request, so
 * the HTML carries final content wherever the request is enough: context rules (URL, campaign,
 * locale), schedules, QA overrides and experiment assignment by the anonymous id the id cookie
 * carries (the same formula the browser uses). A slot whose decision depends on what only the
 * device knows (its profile, frequency caps, a user id...) is pending. Without the cookie every
 * slot gets its default, final, as for a visitor who has not consented.
 *
 * The bundle (an object or its JSON text) goes through the browser's checks; a bad one throws
 * `AttuneError` (`bundle-invalid`, `bundle-rule-invalid`). Create one decider per bundle and reuse it.
 */
export function createServerDecider(bundle: unknown, options: ServerDeciderOptions = {}): ServerDecider {
  let nowMs = 0;
  // Rules read an empty history: any rule that reads it makes its slot pending anyway.
  const host: RuleHost = { now: () => nowMs, count: () => 0, stats: () => undefined, recent: () => [] };
  const compiled = finish(checkSteps(typeof bundle === 'string' ? JSON.parse(bundle) : bundle, host, { ...STANDALONE_PARTS, ...modelsPart }));
  const all = compiled.experiences;
  const scratch = compiled.scratch;
  const segment = segmentReads(compiled.bundle.segments ?? []);
  /** Why each experience's audience needs the device (by rank). */
  const audience = all.map(
    ({ experience: { audience: a }, byTrigger }) =>
      (byTrigger ? 'is made eligible by a trigger (on the device)' : undefined) ?? (a?.segment === undefined ? undefined : segment(a.segment)) ?? deviceRead(a?.rule, segment),
  );
  /** Why, once in its audience, its caps or its experiment need the device. */
  const gate = all.map((e) =>
    e.caps.length > 0
      ? 'has a frequency cap (impressions are counted on the device)'
      : e.experiment?.unit === 'userId'
        ? 'assigns by user id'
        : e.experiment?.bandit
          ? 'is a bandit (it draws an arm per session, on the device)'
          : undefined,
  );
  const own = (rank: number): string | undefined => audience[rank] ?? gate[rank];

  /** Per pass: why each candidate's outcome may differ on the device (null: it cannot). */
  let found: (string | null | undefined)[] = [];
  function needs(rank: number): string | null {
    if (found[rank] !== undefined) return found[rank]!;
    const outcome = scratch.outcome[rank];
    const e = all[rank]!;
    let why: string | null | undefined;
    if (scratch.stamp[rank] !== scratch.epoch) why = 'could not be decided on the server';
    else if (outcome === UNSCHEDULED || outcome === FORCED || outcome === SKIPPED) why = null;
    // Out of its audience, it never gets to its caps or experiment.
    else why = audience[rank] ?? (outcome === NOT_IN_AUDIENCE || outcome === ERROR ? null : gate[rank] ?? e.rivals.map(upTo).find(Boolean));
    return (found[rank] = why ? `experience "${e.id}" ${why}` : null);
  }
  /** Why the outcome of a candidate's slot up to it (inclusive) may differ on the device. */
  function upTo(rank: number): string | null {
    const e = all[rank]!;
    const candidates = compiled.slots[e.slotIndex]!.candidates;
    for (let at = 0; at <= e.position; at++) {
      const why = needs(candidates[at]!.rank);
      if (why) return why;
    }
    return null;
  }

  const cookieName = options.cookieName ?? ID_COOKIE;
  return {
    experiences: all.map((e) => {
      const mate = e.mates.find((rank) => own(rank) !== undefined);
      const needs = own(e.rank) ?? (mate === undefined ? undefined : `shares exclusion group "${e.group}" with experience "${all[mate]!.id}", which needs the device`);
      return Object.freeze({ id: e.id, slot: e.slot, needs: needs ?? null });
    }),
    decide(request) {
      nowMs = request.nowMs ?? Date.now();
      const url = new URL(String(request.url));
      const id = readCookie(request.cookie, cookieName);
      // The id is only ever hashed; a value no client writes is ignored.
      const anonymousId = id !== undefined && /^[\w.-]{1,200}$/.test(id) ? id : undefined;
      const consented = anonymousId !== undefined;
      const epoch = scratch.epoch;
      const decisions = decideAll(compiled, {
        data: { context: requestContext(url, firstLanguage(request.acceptLanguage), nowMs, request.location ? locationOf(request.location, warnLocation) : {}), profile: EMPTY_PROFILE },
        units: { anonymousId },
        sessionId: '',
        nowMs,
        personalizationAllowed: consented,
        state: EMPTY_DECISION_STATE,
        pageView: newPageView(),
        forced: parseForceParam(url.search),
        onRuleError: options.onRuleError ?? (() => {}),
      });
      // Without consent (or a usable bundle: no pass ran) every decision is final.
      const decided = consented && scratch.epoch !== epoch;
      found = [];
      const slots = compiled.slots.map((plan, i): ServerSlot => {
        const decision = decisions[i]!;
        const candidates = plan.candidates;
        const winner = candidates.findIndex((c) => scratch.outcome[c.rank]! >= HELD_OUT);
        const last = candidates[winner < 0 ? candidates.length - 1 : winner];
        const why = decided && last ? upTo(last.rank) : null;
        // JSON-safe (plain objects): passed as it is to the browser, e.g. as a client component's prop.
        return why ? { slot: plan.slot, pending: true, decision: null, needs: why } : { slot: plan.slot, pending: false, decision: JSON.parse(JSON.stringify(decision)) };
      });
      return { consented, slots };
    },
  };
}
