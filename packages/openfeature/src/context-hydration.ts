import type { EvaluationContext } from '@openfeature/web-sdk';

/** What `client.hydrate()` is given for an evaluation context. */
export interface ContextHydration {
  userId?: string;
  traits: Record<string, unknown>;
}

/**
 * The hydration that brings the visitor from the `previous` evaluation context to `next`: the
 * targeting key as the user id, the other attributes as traits (as JSON: a Date becomes its ISO
 * text), and `null` for each attribute `previous` had and `next` has not (which removes that
 * trait). Undefined when there is nothing to apply.
 */
export function contextHydration(previous: EvaluationContext, next: EvaluationContext): ContextHydration | undefined {
  const { targetingKey, ...attributes } = next;
  let given: Record<string, unknown>;
  try {
    given = JSON.parse(JSON.stringify(attributes)) as Record<string, unknown>;
  } catch {
    given = attributes; // A cycle or a BigInt: hydrate() refuses it and says why.
  }
  const kept = new Set(Object.keys(given));
  const removed = Object.keys(previous).filter((key) => key !== 'targetingKey' && !kept.has(key));
  // Entries, never assignment: an attribute named "__proto__" stays an attribute.
  const traits = Object.fromEntries([...removed.map((key) => [key, null]), ...Object.entries(given)]) as Record<string, unknown>;
  if (targetingKey) return { userId: targetingKey, traits };
  return kept.size + removed.length > 0 ? { traits } : undefined;
}
