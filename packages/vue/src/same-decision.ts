import type { Decision } from '@attune/core';

/**
 * Whether two decisions render the same: the client gives an unchanged decision as the same
 * object, but a decision made again from a revalidated bundle (or a default without a bundle) is
 * a new object with the same content, and must not re-render or end a held slot.
 */
export function sameDecision(a: Decision, b: Decision): boolean {
  if (a === b) return true;
  const x = a.content;
  const y = b.content;
  return (
    a.reason === b.reason &&
    a.experience === b.experience &&
    a.variant === b.variant &&
    (x === y || (x !== null && y !== null && x.type === y.type && x.value === y.value))
  );
}
