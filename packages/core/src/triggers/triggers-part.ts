/**
 * The triggers part: what createAttune loads (client/load-parts.ts) only for a bundle with
 * `triggers[]`, once it serves. Binds the bundle's triggers to the client: each check runs what
 * fires (records the event, sets the trait, keeps the experiences made eligible) and sets a timer
 * for the next time one may fire.
 */
import type { BundleTrigger } from '../bundle/schema.js';
import { createTriggerRunner, type TriggerCheck, type TriggerHost, type TriggerMemory } from './run-triggers.js';

export interface TriggerDeps {
  /** Whether triggers may run now (personalization granted, storage open): a timer firing after a withdrawal does nothing. */
  active(): boolean;
  host: TriggerHost;
  memory(id: string): TriggerMemory | undefined;
  /** Keeps the firings (and the experiences they made eligible) in the decision state. */
  remember(check: TriggerCheck): void;
  track(name: string, properties: Record<string, unknown>): void;
  setTrait(name: string, value: unknown): void;
  /** A trigger with problems, left out. */
  report(message: string): void;
  changed(): void;
}

/** Returns the check to run after every change (and by its own timer); `stop` clears the timer. */
export function startTriggers(triggers: readonly BundleTrigger[], deps: TriggerDeps): { check(): void; stop(): void } {
  const runner = createTriggerRunner(triggers, deps.report);
  let timer: ReturnType<typeof setTimeout> | undefined;
  function check(): void {
    clearTimeout(timer);
    if (!deps.active()) return;
    const result = runner.check(deps.host, deps.memory);
    deps.remember(result);
    for (const { trigger, items } of result.fired) {
      for (const action of trigger.actions) {
        if (action.track !== undefined) deps.track(action.track, items.length > 0 ? { trigger: trigger.id, items } : { trigger: trigger.id });
        else if (action.trait !== undefined) deps.setTrait(action.trait, action.value ?? null);
      }
    }
    if (result.fired.length > 0) deps.changed();
    if (result.next !== undefined) timer = setTimeout(check, Math.min(result.next - deps.host.now() + 1, 2_147_483_647));
  }
  return { check, stop: () => clearTimeout(timer) };
}
