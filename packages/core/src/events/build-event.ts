import type { PageContext } from '../context/read-context.js';
import { validateEventInput, type AttuneEvent, type EventType } from './event.js';
import { isoTimestamp } from './iso-timestamp.js';

export interface EventIdentity {
  anonymousId: string;
  userId: string | null;
  sessionId: string;
  consent: string[];
  /** Active experiment assignments; left off the event when empty. */
  experiments?: Readonly<Record<string, string>> | undefined;
}

export interface EventInput {
  type: EventType;
  name: unknown;
  properties?: unknown;
  traits?: Record<string, unknown>;
  previousId?: string;
}

/**
 * Builds the envelope from what the host passed (validated: throws `event-invalid`). Identity
 * fields are filled in later by `stampIdentity`, once storage knows them.
 */
export function buildEvent(input: EventInput, id: string, nowMs: number, context: PageContext): AttuneEvent {
  const { name, properties } = validateEventInput(input.name, input.properties);
  const event: AttuneEvent = {
    id,
    type: input.type,
    name,
    timestamp: isoTimestamp(nowMs),
    anonymousId: '',
    sessionId: '',
    context,
    properties,
    consent: [],
  };
  if (input.traits !== undefined) event.traits = input.traits;
  if (input.previousId !== undefined) event.previousId = input.previousId;
  return event;
}

export function stampIdentity(event: AttuneEvent, identity: EventIdentity): void {
  event.anonymousId = identity.anonymousId;
  if (identity.userId) event.userId = identity.userId;
  event.sessionId = identity.sessionId;
  event.consent = identity.consent;
  if (identity.experiments !== undefined) event.experiments = identity.experiments;
}
