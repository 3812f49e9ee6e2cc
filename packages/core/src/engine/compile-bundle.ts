import { AttuneError } from '../errors.js';
import type { Bundle, BundleExperience } from '../bundle/schema.js';
import { compileRule, truthy, type CompiledRule } from './compile-rule.js';

/** An experience with its audience compiled to one predicate. */
export interface CompiledExperience {
  experience: BundleExperience;
  matches(data: unknown): boolean;
}

/** A validated bundle with every rule compiled once, indexed for `decide`. */
export interface CompiledBundle {
  bundle: Bundle;
  /** Experiences per slot, highest priority first (bundle order breaks ties). */
  bySlot: ReadonlyMap<string, readonly CompiledExperience[]>;
  expiresAtMs: number | undefined;
}

const always = () => true;

/**
 * Compiles every segment and audience rule of a valid bundle. An unknown operator or a malformed
 * rule rejects the bundle as a whole (`bundle-rule-invalid`), naming where it is.
 */
export function compileBundle(bundle: Bundle): CompiledBundle {
  const segmentRules = new Map<string, CompiledRule>();
  const evaluating = new Set<string>();

  // `{"segment": "id"}` lets one rule reuse another; a segment that refers to itself is false.
  const evaluateSegment = (id: string, data: unknown): boolean => {
    const rule = segmentRules.get(id);
    if (!rule || evaluating.has(id)) return false;
    evaluating.add(id);
    try {
      return truthy(rule(data));
    } finally {
      evaluating.delete(id);
    }
  };
  const operators = { segment: (args: unknown[], data: unknown) => evaluateSegment(String(args[0]), data) };

  const compileAt = (rule: unknown, where: string): CompiledRule => {
    try {
      return compileRule(rule, { operators });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new AttuneError('bundle-rule-invalid', `The bundle was rejected and default content is served: ${where}: ${reason}`, cause);
    }
  };

  for (const segment of bundle.segments ?? []) segmentRules.set(segment.id, compileAt(segment.when, `segment "${segment.id}"`));

  const bySlot = new Map<string, CompiledExperience[]>();
  bundle.experiences.forEach((experience) => {
    const segmentId = experience.audience?.segment;
    const rule = experience.audience?.rule;
    const ruleMatches = rule === undefined ? always : compileAt(rule, `experience "${experience.id}" audience.rule`);
    const matches =
      segmentId === undefined
        ? (data: unknown) => truthy(ruleMatches(data))
        : (data: unknown) => evaluateSegment(segmentId, data) && truthy(ruleMatches(data));
    const list = bySlot.get(experience.slot) ?? [];
    list.push({ experience, matches });
    bySlot.set(experience.slot, list);
  });
  for (const list of bySlot.values()) list.sort((a, b) => (b.experience.priority ?? 0) - (a.experience.priority ?? 0));

  return {
    bundle,
    bySlot,
    expiresAtMs: bundle.expiresAt === undefined ? undefined : Date.parse(bundle.expiresAt),
  };
}
