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
  let given: object;
  try {
    given = JSON.parse(JSON.stringify(attributes)) as object;
  } catch {
    given = attributes; // A cycle or a BigInt: hydrate() refuses it and says why.
  }
  // Entries, never assignment: an attribute named "__proto__" stays an attribute. The later entry wins.
  const entries = [...Object.keys(previous).map((key) => [key, null]), ...Object.entries(given)].filter(([key]) => key !== 'targetingKey');
  const traits = Object.fromEntries(entries) as Record<string, unknown>;
  if (targetingKey) return { userId: targetingKey, traits };
  return entries.length > 0 ? { traits } : undefined;
}
