import type { CompiledBundle, DecideInput, Decision, DecisionData, PageView } from '../decide/types.js';
import type { RuleHost } from '../rules/attune-operators.js';
import { activeAssignments, forceProblem, pruneDecisionState } from '../decide/assignments.js';
import { decide, decideAll } from '../decide/decide.js';
import { EMPTY_DECISION_STATE, ownValue, parseDecisionState, recordAssignment, recordImpression, setOwn, type DecisionState } from '../decide/decision-state.js';
import type { TriggerCheck } from '../triggers/run-triggers.js';
import { parseForceParam } from '../decide/force-param.js';
import { journeyStage, segmentMembership } from '../decide/membership.js';
import { exposureFor, impressionFor, newPageView } from '../decide/page-view.js';
import { AttuneError, errorMessage } from '../errors.js';
import type { ProfileState } from '../profile/profile-state.js';
import type { AttuneDatabase } from '../storage/database.js';

/** What the decision wiring needs from the client. */
export interface DecisionHooks {
  now(): number;
  profile: ProfileState;
  bundle(): CompiledBundle | undefined;
  /** What rules read, `{ context, profile }` (the client keeps the context fresh). */
  data(nowMs: number): DecisionData;
  personalization(): boolean;
  analytics(): boolean;
  /** The current session id without starting one ('' when none); `touch` starts or extends it. */
  session(): string;
  touchSession(): string;
  /** Records a track event through the client (consent, envelope, queue). */
  track(name: string, properties: Record<string, unknown>): void;
  /** Runs a storage task after pending writes; the database is undefined when storage is not open. */
  persist(task: (db: AttuneDatabase) => Promise<unknown>): void;
  report(error: AttuneError): void;
}

const STATE_KEY = 'state';
const SEGMENTS_KEY = 'segments';

/**
 * The client's decision layer: the rule host over the live profile, the decision state
 * (sticky assignments, cap counters) kept in memory and persisted, page views, QA overrides,
 * exposures, and segment_entered / segment_exited events. Engine calls stay pure; this owns the
 * side effects.
 */
export function createDecisions(hooks: DecisionHooks) {
  const { profile } = hooks;
  let state: DecisionState = EMPTY_DECISION_STATE;
  let pageView: PageView = newPageView();
  const forced: Record<string, string> = parseForceParam((globalThis as { location?: { search?: string } }).location?.search ?? '');
  /** Segment membership as last reported; undefined until read from storage (nothing emitted before). */
  let members: readonly string[] | undefined;
  let membersFor: CompiledBundle | undefined;
  /** Rule failures already warned about in this page view: a broken rule fails on every decision. */
  let warned = new Set<string>();
  let reportedForces = new Set<string>();
  /** The decision clock while deciding: rules' `count`/`since` read it. */
  let clock = 0;

  const host: RuleHost = {
    now: () => clock || hooks.now(),
    count: (name, windowMs) => profile.count(name, windowMs, clock || hooks.now()),
    stats: (name) => ownValue(profile.get(clock || hooks.now()).events, name),
    recent: () => profile.stored().data.recent,
  };

  function onRuleError(where: string, error: unknown): void {
    const message = errorMessage(error);
    if (warned.has(where + message)) return;
    warned.add(where + message);
    hooks.report(new AttuneError('rule-invalid', `A rule of ${where} failed and was treated as false: ${message}`, error));
  }

  function save(): void {
    const saved = state;
    hooks.persist((db) => db.put('decisions', saved, STATE_KEY));
  }

  function onAssign(experimentId: string, assignment: Parameters<typeof recordAssignment>[2]): void {
    state = recordAssignment(state, experimentId, assignment);
    save();
  }

  /** The serving bundle, once the QA overrides that cannot apply to it are reported. */
  function bundleForDecisions(): CompiledBundle | undefined {
    const compiled = hooks.bundle();
    for (const [experiment, variant] of compiled ? Object.entries(forced) : []) {
      const key = `${experiment}:${variant}`;
      const problem = reportedForces.has(key) ? undefined : forceProblem(compiled!, experiment, variant);
      reportedForces.add(key);
      if (problem) hooks.report(new AttuneError('rule-invalid', `The QA override attune_force=${key} was ignored: ${problem}.`));
    }
    return compiled;
  }

  function input(nowMs: number): DecideInput {
    const personalizationAllowed = hooks.personalization();
    return {
      // Read by the engine inside its own try: a profile that cannot be read (a record tampered
      // with in IndexedDB) then gives decisions with reason "error", never an exception.
      get data() {
        return hooks.data(nowMs);
      },
      units: profile.identity(),
      sessionId: hooks.session(),
      nowMs,
      personalizationAllowed,
      state,
      pageView,
      forced,
      onRuleError,
      // Without consent nothing is assigned or stored (the engine does not assign then either).
      onAssign: personalizationAllowed ? onAssign : undefined,
    };
  }

  /** Runs an engine call with the rule host's clock pinned to this decision. */
  function at<T>(run: (nowMs: number) => T): T {
    const nowMs = hooks.now();
    clock = nowMs;
    try {
      return run(nowMs);
    } finally {
      clock = 0;
    }
  }

  return {
    host,
    decide(slot: string): Decision {
      const compiled = bundleForDecisions();
      return at((nowMs) => decide(compiled, slot, input(nowMs)));
    },
    decideAll(): readonly Decision[] {
      const compiled = bundleForDecisions();
      return at((nowMs) => decideAll(compiled, input(nowMs)));
    },
    /**
     * The caller showed a decision's content: counts the impression for caps (once per page view)
     * and reports the exposure (once per experiment per page view; never for forced decisions).
     */
    shown(decision: Decision): void {
      if (!hooks.personalization()) return;
      const experience = impressionFor(decision, pageView);
      const exposure = exposureFor(decision, pageView);
      if (experience !== undefined) {
        state = recordImpression(state, experience, hooks.touchSession(), hooks.now());
        save();
      }
      if (exposure !== undefined) hooks.track('experiment_exposure', { ...exposure });
    },
    force(experimentId: string, variantId: string | null | undefined): void {
      if (variantId === null || variantId === undefined || variantId === '') delete forced[experimentId];
      else forced[experimentId] = variantId;
      reportedForces.delete(`${experimentId}:${variantId ?? ''}`);
    },
    /** The QA overrides in force (a copy). */
    forced: (): Record<string, string> => ({ ...forced }),
    /** A new page view: exclusion groups, exposures and impressions start afresh. */
    pageViewStarted(): void {
      pageView = newPageView();
      warned = new Set();
    },
    /** The visitor's active assignments, stamped on every event (undefined when none). */
    experiments(): Readonly<Record<string, string>> | undefined {
      const compiled = hooks.bundle();
      if (!compiled || !hooks.personalization()) return undefined;
      const active = activeAssignments(compiled, state, profile.identity());
      for (const _ in active) return active;
      return undefined;
    },
    stage(): string | null {
      const compiled = hooks.bundle();
      if (!compiled || !hooks.personalization()) return null;
      return at((nowMs) => journeyStage(compiled, hooks.data(nowMs), onRuleError));
    },
    /** Writes the state kept in memory (again: the database was deleted meanwhile). */
    save,
    /** Reads the stored state once storage is open; the function it gives applies it (assignments stored earlier win: they are sticky). */
    async read(db: AttuneDatabase): Promise<() => void> {
      const [stored, storedMembers] = await Promise.all([db.get('decisions', STATE_KEY), db.get('decisions', SEGMENTS_KEY)]);
      // Applied when the caller says (after the profile's read, which it runs beside).
      return () => {
        const loaded = parseDecisionState(stored);
        state = {
          assignments: { ...state.assignments, ...loaded.assignments },
          caps: { ...state.caps, ...loaded.caps },
          triggers: { ...loaded.triggers, ...state.triggers },
          eligible: { ...loaded.eligible, ...state.eligible },
        };
        members = Array.isArray(storedMembers) ? storedMembers.filter((id): id is string => typeof id === 'string') : [];
      };
    },
    /**
     * Re-evaluates segment membership (after profile changes) and reports entries and exits as
     * `segment_entered` / `segment_exited` events. Only once the stored membership is known,
     * with personalization granted (and analytics, for the events to be kept).
     */
    checkSegments(): void {
      const compiled = hooks.bundle();
      if (!compiled || members === undefined || !hooks.personalization()) return;
      if (membersFor !== compiled) {
        membersFor = compiled;
        const pruned = pruneDecisionState(compiled, state);
        if (pruned !== state) {
          state = pruned;
          save();
        }
      }
      const now = at((nowMs) => segmentMembership(compiled, hooks.data(nowMs), onRuleError));
      if (now === members || (now.length === members.length && now.every((id, i) => id === members![i]))) return;
      const before = new Set(members);
      const after = new Set(now);
      members = now;
      hooks.persist((db) => db.put('decisions', [...now], SEGMENTS_KEY));
      if (!hooks.analytics()) return;
      for (const id of now) if (!before.has(id)) hooks.track('segment_entered', { segment: id });
      for (const id of before) if (!after.has(id)) hooks.track('segment_exited', { segment: id });
    },
    /** Whether the stored state is read (triggers must know their stored firings before they check). */
    loaded: (): boolean => members !== undefined,
    /** What trigger `id` remembers (its firings, for its cap). */
    triggerMemory: (id: string) => (state.triggers ? ownValue(state.triggers, id) : undefined),
    /** Keeps what a trigger check found: firings (with the experiences they made eligible) and segment membership. */
    rememberTriggers(check: TriggerCheck): void {
      if (check.fired.length === 0 && Object.keys(check.seen).length === 0) return;
      const triggers = { ...state.triggers };
      const eligible = { ...state.eligible };
      for (const [id, memory] of Object.entries(check.seen)) setOwn(triggers, id, memory);
      for (const { trigger, memory } of check.fired) {
        setOwn(triggers, trigger.id, memory);
        for (const action of trigger.actions) if (action.eligible !== undefined) setOwn(eligible, action.eligible, memory.lastAt);
      }
      state = { ...state, triggers, eligible };
      save();
    },
    /** The bundle segments the visitor is in now. */
    segments(): readonly string[] {
      const compiled = hooks.bundle();
      return compiled ? at((nowMs) => segmentMembership(compiled, hooks.data(nowMs), onRuleError)) : [];
    },
    /** Forgets everything (consent withdrawn, personalization denied): the stored state is erased too. */
    clear(): void {
      state = EMPTY_DECISION_STATE;
      // Nothing is stored any more: after a new grant, present segments are entered afresh.
      members = [];
      membersFor = undefined;
      pageView = newPageView();
    },
  };
}

