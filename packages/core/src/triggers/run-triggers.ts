/**
 * Journey triggers on the device (docs/bundle-format.md "Journey triggers"): each check looks at the profile's
 * recent raw events, windowed counts and segment membership at the decision clock, and says which
 * triggers fire now (at most `cap` times each) and when the next one may (for a timer). Runs while
 * the page is open and at start-up, so time that passed while the visitor was away counts too.
 */
import type { BundleTrigger } from '../bundle/schema.js';
import type { CapCounter } from '../decide/decision-state.js';
import { impressionsPer, localDayKey } from '../decide/decision-state.js';
import { parseDuration } from '../profile/duration.js';
import type { RecentEvent } from '../profile/recent-events.js';
import { triggerProblems } from './check-trigger.js';

/** What a trigger remembers: its firings (as a cap counter), when it last fired, and whether the visitor was in its segment. */
export interface TriggerMemory extends CapCounter {
  lastAt: number;
  inside?: boolean;
}

export interface TriggerHost {
  now(): number;
  sessionId(): string;
  /** The profile's recent raw events, oldest first. */
  recent(): readonly RecentEvent[];
  /** Events of `name` in the last `windowMs`, or ever without a window. */
  count(name: string, windowMs: number | undefined): number;
  /** Whether the visitor is in the segment now. */
  inSegment(id: string): boolean;
}

export interface Firing {
  trigger: BundleTrigger;
  /** For `event` triggers, the properties of the events that made it fire (an abandoned cart's items), oldest first. */
  items: Readonly<Record<string, unknown>>[];
  /** What the trigger remembers after this firing. */
  memory: TriggerMemory;
}

export interface TriggerCheck {
  fired: Firing[];
  /** Segment triggers' membership seen now (remembered without firing, e.g. leaving a segment). */
  seen: Record<string, TriggerMemory>;
  /** When a trigger may fire next without a new event (epoch ms), for a timer. */
  next: number | undefined;
}

interface Compiled {
  trigger: BundleTrigger;
  withinMs: number | undefined;
}

/**
 * Prepares a bundle's triggers; a trigger with problems (triggerProblems) is left out and
 * `report`ed, the others run.
 */
export function createTriggerRunner(triggers: readonly BundleTrigger[], report: (message: string) => void) {
  const compiled: Compiled[] = [];
  for (const trigger of triggers) {
    const problems = triggerProblems(trigger);
    if (problems.length > 0) report(`trigger "${trigger.id}" is ignored. Fix: ${problems.join('; ')}`);
    else compiled.push({ trigger, withinMs: trigger.when.within === undefined ? undefined : parseDuration(trigger.when.within) });
  }

  function firing(trigger: BundleTrigger, memory: TriggerMemory | undefined, host: TriggerHost, items: Firing['items']): Firing | undefined {
    const now = host.now();
    const session = host.sessionId();
    const dayKey = localDayKey(now);
    const cap = trigger.cap ?? { count: 1, per: 'lifetime' as const };
    if (impressionsPer(memory, cap.per, session, dayKey) >= cap.count) return undefined;
    return {
      trigger,
      items,
      memory: {
        lifetime: (memory?.lifetime ?? 0) + 1,
        dayKey,
        day: impressionsPer(memory, 'day', session, dayKey) + 1,
        sessionId: session,
        session: impressionsPer(memory, 'session', session, dayKey) + 1,
        lastAt: now,
        ...(memory?.inside === undefined ? {} : { inside: memory.inside }),
      },
    };
  }

  /** Checks every trigger against the host now; `memory(id)` is what each remembers. */
  function check(host: TriggerHost, memory: (id: string) => TriggerMemory | undefined): TriggerCheck {
    const fired: Firing[] = [];
    const seen: Record<string, TriggerMemory> = {};
    let next: number | undefined;
    const now = host.now();
    for (const { trigger, withinMs } of compiled) {
      const remembered = memory(trigger.id);
      const since = remembered?.lastAt ?? -Infinity;
      const { event, absent, count, segment } = trigger.when;
      if (segment !== undefined) {
        const inside = host.inSegment(segment);
        const entered = inside && remembered?.inside !== true;
        const fire = entered ? firing(trigger, remembered, host, []) : undefined;
        if (fire) fired.push({ ...fire, memory: { ...fire.memory, inside } });
        else if (remembered?.inside !== inside) seen[trigger.id] = { ...(remembered ?? { lifetime: 0, dayKey: 0, day: 0, sessionId: '', session: 0, lastAt: -1 }), inside };
        continue;
      }
      // The events of `event` since the trigger last fired: only new activity can fire it again.
      const recent = host.recent();
      const events = recent.filter((e) => e.name === event && e.t > since && e.t <= now);
      if (events.length === 0) continue;
      if (absent !== undefined) {
        // A then no B within the window: from the last A (the visitor still acting postpones it).
        const last = events[events.length - 1]!;
        const deadline = last.t + withinMs!;
        if (recent.some((e) => e.name === absent && e.t >= last.t && e.t <= now)) continue;
        if (now < deadline) {
          next = next === undefined ? deadline : Math.min(next, deadline);
          continue;
        }
        // What was left: the A events since the last B before them.
        const lastB = recent.reduce((t, e) => (e.name === absent && e.t < last.t ? Math.max(t, e.t) : t), -Infinity);
        const fire = firing(trigger, remembered, host, events.filter((e) => e.t > lastB).map((e) => e.properties));
        if (fire) fired.push(fire);
      } else if (count !== undefined && host.count(event!, withinMs) >= count) {
        const fire = firing(trigger, remembered, host, events.map((e) => e.properties));
        if (fire) fired.push(fire);
      }
    }
    return { fired, seen, next };
  }

  return { check, triggers: compiled.map(({ trigger }) => trigger) };
}

export type TriggerRunner = ReturnType<typeof createTriggerRunner>;
