import type { CompiledBundle, DecisionData, RuleErrorHandler } from './types.js';

const ignore: RuleErrorHandler = () => {};

/**
 * The ids of the bundle's segments whose rule matches `data`, in bundle order (each segment
 * evaluated once). The client compares successive results to emit `segment_entered` /
 * `segment_exited`; an unchanged membership is the same array. A segment whose rule throws is
 * not a member (reported through `onRuleError`). Hydrated segment ids are not included: they are
 * already in `profile.segments`.
 */
export function segmentMembership(compiled: CompiledBundle, data: DecisionData, onRuleError: RuleErrorHandler = ignore): readonly string[] {
  compiled.begin(data, onRuleError, compiled.readsStage);
  const members: string[] = [];
  compiled.segmentIds.forEach((id, i) => {
    try {
      if (compiled.pass.segment(i)) members.push(id);
    } catch (error) {
      onRuleError(`segment "${id}"`, error);
    }
  });
  const previous = compiled.scratch.lastMembership;
  if (previous !== undefined && previous.length === members.length && previous.every((id, i) => id === members[i])) return previous;
  compiled.scratch.lastMembership = Object.freeze(members);
  return compiled.scratch.lastMembership;
}

/**
 * The visitor's journey stage: the id of the last stage (in bundle order) whose rule matches
 * `data`, or null. Stage rules do not see `profile.stage`; every other rule does.
 */
export function journeyStage(compiled: CompiledBundle, data: DecisionData, onRuleError: RuleErrorHandler = ignore): string | null {
  compiled.begin(data, onRuleError, true);
  return compiled.stage();
}
