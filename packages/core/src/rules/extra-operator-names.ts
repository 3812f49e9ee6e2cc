/**
 * The names of the operators in extra-operators.ts (a test keeps both lists the same): a bundle
 * whose rules use one needs that part before it compiles.
 */
export const EXTRA_OPERATOR_NAMES: ReadonlySet<string> = new Set(
  'max min + - * / % map filter reduce all none some merge cat substr log starts_with ends_with sem_ver hour weekday in_range'.split(' '),
);

/** Whether `rule` (parsed JSON, maybe not valid yet) uses one of them. */
export function usesExtraOperators(rule: unknown): boolean {
  if (Array.isArray(rule)) return rule.some(usesExtraOperators);
  if (rule === null || typeof rule !== 'object') return false;
  for (const [key, args] of Object.entries(rule)) if (EXTRA_OPERATOR_NAMES.has(key) || usesExtraOperators(args)) return true;
  return false;
}

/** The rules of a bundle (parsed, maybe not valid yet): stages, segments, audiences, model features, recommenders. */
export function bundleRules(value: unknown): unknown[] {
  const { stages, segments, experiences, models, recommenders } = (value ?? {}) as Record<string, unknown>;
  const list = (items: unknown): Record<string, unknown>[] => (Array.isArray(items) ? items.filter((item) => item !== null && typeof item === 'object') : []);
  return [
    ...list(stages).map((stage) => stage.when),
    ...list(segments).map((segment) => segment.when),
    ...list(experiences).map((experience) => (experience.audience as { rule?: unknown } | undefined)?.rule),
    ...list(models).flatMap((model) => list(model.features).map((feature) => feature.from)),
    ...list(recommenders).map((recommender) => recommender.rule),
  ];
}
