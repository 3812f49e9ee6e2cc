import { decisionPending, type Decision } from '@attune/core';
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { initialDecision } from './initial-decisions.js';
import type { AttuneContext } from './plugin.js';
import { sameDecision } from './same-decision.js';

/** What a slot renders now: a decision, and whether to keep the slot hidden (its decision may still change). */
export interface SlotState {
  decision: ShallowRef<Decision>;
  pending: ShallowRef<boolean>;
}

/** The slot's own default (the page's markup): while pending, after the timeout, in a server render. */
const undecided = (slot: string): Decision => Object.freeze({ slot, experience: null, variant: null, content: null, reason: 'default-no-bundle' });

/** Follows the client's decisions. */
const LIVE = 0;
/** Hidden until the client's decision is final, or the default at the timeout. */
const PENDING = 1;
/** Keeps what it shows (the server's decision, or the default after the timeout) until the visitor changes the decision. */
const HELD = 2;

/**
 * The decision a slot renders, flicker-free: a slot whose decision may still change is pending
 * (never its default first); it shows the client's decision once final, or its default after the
 * timeout, and that default then stays. A slot the server rendered keeps the server's decision
 * (hydration renders exactly the server's HTML) until a later client decision differs from the
 * first final one (the visitor did something: an event, consent, a new bundle). Unsubscribes when
 * the scope (component) is disposed; a changed slot name starts afresh.
 */
export function slotState(context: AttuneContext, slot: MaybeRefOrGetter<string>): SlotState {
  const state: SlotState = { decision: shallowRef(undecided(toValue(slot))), pending: shallowRef(false) };
  let stop: (() => void) | undefined;
  watch(
    () => toValue(slot),
    (name) => {
      stop?.();
      stop = follow(context, name, state);
    },
    { immediate: true },
  );
  onScopeDispose(() => stop?.());
  return state;
}

function follow({ client, initial, timeoutMs }: AttuneContext, slot: string, state: SlotState): (() => void) | undefined {
  const first = initialDecision(initial, slot);
  const show = (decision: Decision, pending = false): void => {
    state.decision.value = decision;
    state.pending.value = pending;
  };
  if (!client) {
    show(first && first !== 'pending' ? first : undecided(slot), first === 'pending');
    return undefined;
  }

  let phase = first === 'pending' ? PENDING : first ? HELD : LIVE;
  /** HELD: the client's first final decision; a different one later ends the hold. */
  let baseline: Decision | undefined;
  let active = true;
  const update = (): void => {
    if (!active || decisionPending(client.getSnapshot())) return;
    const next = client.decide(slot);
    if (phase === HELD && !baseline) baseline = next;
    else if (phase === PENDING || !sameDecision(next, phase === HELD ? (baseline as Decision) : state.decision.value)) {
      phase = LIVE;
      show(next);
    }
  };

  if (phase === LIVE && decisionPending(client.getSnapshot())) phase = PENDING;
  if (phase === HELD) show(first as Decision);
  else if (phase === LIVE) show(client.decide(slot));
  else show(undecided(slot), true);
  const timer =
    phase === PENDING
      ? setTimeout(() => {
          if (phase !== PENDING) return;
          phase = HELD;
          show(undecided(slot));
        }, timeoutMs)
      : undefined;
  const unsubscribe = client.subscribe(update);
  // After this render (the hydration of the server's HTML): the client may be final already.
  if (first) queueMicrotask(update);
  return () => {
    active = false;
    unsubscribe();
    clearTimeout(timer);
  };
}
