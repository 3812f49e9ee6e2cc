import type { Decision, DecisionReason } from '../decide/types.js';
import type { AttuneClient } from '../client/types.js';
import { decisionPending } from '../client/decision-pending.js';
import type { ServerDecisions, ServerSlot } from '../server/server-decisions.js';

/** What a slot renders now. */
export interface SlotView {
  readonly decision: Decision;
  /** The decision may still change: render the slot's default hidden (never shown, then replaced). */
  readonly pending: boolean;
  /** The client's page view (AttuneSnapshot.pageView): a new view for each, to report what stays on screen again. */
  readonly pageView: number;
  /** The slot was still pending at the timeout: it shows its default for the page view (the tag's `data-attune-reason="timeout"`). */
  readonly timedOut: boolean;
}

export interface SlotViewsOptions {
  /** What the server decided (`createServerDecider`): hydration renders exactly that. */
  serverDecisions?: ServerDecisions | null | undefined;
  /** A slot still pending this long after start shows its default, and keeps it for the page view. Default 300. */
  pendingTimeoutMs?: number | undefined;
}

/** Slot views for a UI framework: one per page load, shared by every slot component. */
export interface SlotViews {
  /** The slot's view now (the same object while unchanged). */
  get(slot: string): SlotView;
  /** What the server rendered (the server snapshot): in the browser, it is kept for the page view. */
  server(slot: string): SlotView;
  /** Hears every change of any view (and the timeout). */
  subscribe(listener: () => void): () => void;
  /**
   * The view is on screen (committed, and visible if the site wants that): reports it with
   * `client.shown` (the client counts one exposure per experiment per page view). A new page view
   * gives new views: report the one on screen again.
   */
  shown(view: SlotView): void;
}

/** Same content for the same reason: an equal decision. */
const same = (a: Decision, b: Decision): boolean =>
  a === b || (a.slot === b.slot && a.experience === b.experience && a.variant === b.variant && a.reason === b.reason && a.content === b.content && a.message === b.message);

const fallback = (slot: string, reason: DecisionReason): Decision => Object.freeze({ slot, experience: null, variant: null, content: null, reason });

/**
 * The no-flicker rendering contract (docs/ssr.md), for wrappers of any framework.
 * Content once on screen stays for the page view unless the client's decision changes after it is
 * ready (something the visitor did, a new bundle): what the server rendered, and a default shown at
 * the timeout, are held until then. A slot is pending while personalization is granted and the
 * client is not ready, at most `pendingTimeoutMs`. Without a client (on a server) views are the
 * server's decisions, or defaults without consent. Views are subscribed to the client only while
 * something listens to them.
 */
export function createSlotViews(client: AttuneClient | undefined, options: SlotViewsOptions = {}): SlotViews {
  const decided = new Map<string, ServerSlot>(options.serverDecisions?.slots?.map((s) => [s.slot, s]));
  /** Content fixed for the page view, and the client's decision it stands for once ready. */
  const holds = new Map<string, { decision: Decision; timedOut?: boolean; baseline?: Decision; consent?: string }>();
  const views = new Map<string, SlotView>();
  const listeners = new Set<() => void>();
  let timedOut = false;
  let unsubscribe: (() => unknown) | undefined;

  const tell = (): void => listeners.forEach((listener) => listener());
  if (client) {
    setTimeout(() => {
      timedOut = true;
      tell();
    }, options.pendingTimeoutMs ?? 300);
  }

  function heard(): void {
    if (client!.getSnapshot().ready) for (const [slot, hold] of holds) hold.baseline ??= client!.decide(slot);
    tell();
  }

  function view(slot: string, decision: Decision, pending: boolean, timedOut = false): SlotView {
    const pageView = client?.getSnapshot().pageView ?? 0;
    const last = views.get(slot);
    if (last && last.pending === pending && last.timedOut === timedOut && last.pageView === pageView && same(last.decision, decision)) return last;
    const next = Object.freeze({ decision, pending, pageView, timedOut });
    views.set(slot, next);
    return next;
  }

  function server(slot: string): SlotView {
    const s = decided.get(slot);
    if (s?.pending) return view(slot, fallback(slot, 'default-no-bundle'), true);
    const decision = s?.decision ?? fallback(slot, 'default-no-consent');
    // Called in the browser only while hydrating: this is what the visitor sees first.
    // The consent it was rendered under: a grant or a withdrawal before the client is ready is
    // something the visitor did too (the baseline taken once ready would already include it).
    if (client && !holds.has(slot)) holds.set(slot, { decision, consent: client.getSnapshot().consent.personalization });
    return view(slot, decision, false);
  }

  return {
    server,
    get(slot) {
      if (!client) return server(slot);
      const snapshot = client.getSnapshot();
      const live = client.decide(slot);
      let hold = holds.get(slot);
      if (hold?.consent !== undefined && hold.consent !== snapshot.consent.personalization) {
        holds.delete(slot);
        hold = undefined;
      }
      if (hold) {
        if (!snapshot.ready) return view(slot, hold.decision, false, hold.timedOut);
        hold.baseline ??= live;
        if (same(live, hold.baseline)) return view(slot, hold.decision, false, hold.timedOut);
        holds.delete(slot);
      }
      if (!decisionPending(snapshot)) return view(slot, live, false);
      if (!timedOut) return view(slot, live, true);
      // Too late: the default, for the rest of the page view (a personalized swap now would be flicker).
      const decision = live.reason === 'matched' ? fallback(slot, 'default-no-bundle') : live;
      holds.set(slot, { decision, timedOut: true });
      return view(slot, decision, false, true);
    },
    subscribe(listener) {
      listeners.add(listener);
      unsubscribe ??= client?.subscribe(heard);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        unsubscribe?.();
        unsubscribe = undefined;
      };
    },
    shown(shownView) {
      if (client && !shownView.pending) client.shown(shownView.decision);
    },
  };
}
