import type { BundleTrigger } from '../bundle/schema.js';
import { notDuration, parseDuration } from '../profile/duration.js';

/** JSON primitives a `trait` action may set. */
const isPrimitive = (value: unknown): boolean => value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/**
 * What the shape of a `triggers[]` entry cannot say: which `when` fields go together (exactly one
 * kind: `event` + `absent` + `within`, `event` + `count` with an optional `within`, or `segment`
 * alone), a `within` that is a duration, and each action doing exactly one thing.
 */
export function triggerProblems(trigger: BundleTrigger): string[] {
  const problems: string[] = [];
  const { event, absent, within, count, segment } = trigger.when;
  const kinds = [absent !== undefined, count !== undefined, segment !== undefined].filter(Boolean).length;
  if (kinds !== 1) problems.push('when: give exactly one of absent (with event and within), count (with event) or segment');
  else if (segment !== undefined && (event !== undefined || within !== undefined)) problems.push('when: a segment trigger takes no event or within');
  else if (segment === undefined && event === undefined) problems.push(`when: ${absent !== undefined ? 'absent' : 'count'} needs the event it follows (event)`);
  else if (absent !== undefined && within === undefined) problems.push('when: absent needs within, the time the absent event is waited for');
  if (count !== undefined && !Number.isInteger(count)) problems.push(`when.count: ${count} is not a whole number`);
  if (within !== undefined && parseDuration(within) === undefined) problems.push(`when.within: ${notDuration(within)}`);
  trigger.actions.forEach((action, i) => {
    const does = [action.track, action.trait, action.eligible].filter((what) => what !== undefined).length;
    if (does !== 1) problems.push(`actions[${i}]: give exactly one of track, trait or eligible`);
    if (action.trait !== undefined && action.value !== undefined && !isPrimitive(action.value)) problems.push(`actions[${i}].value: the trait's value must be a string, a finite number, a boolean or null`);
    if (action.trait === undefined && action.value !== undefined) problems.push(`actions[${i}].value: only a trait action takes a value`);
  });
  if (trigger.cap && !Number.isInteger(trigger.cap.count)) problems.push(`cap.count: ${trigger.cap.count} is not a whole number`);
  return problems;
}
