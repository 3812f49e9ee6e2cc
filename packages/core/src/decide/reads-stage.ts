/**
 * Whether a rule might read `profile.stage`, judged from its JSON (conservatively: any doubt is a
 * yes). When no rule of a bundle can, decisions skip evaluating the journey stages.
 */
export function mayReadStage(rule: unknown): boolean {
  if (typeof rule === 'string') return rule.includes('stage');
  if (Array.isArray(rule)) return rule.some(mayReadStage);
  if (rule === null || typeof rule !== 'object') return false;
  for (const [op, args] of Object.entries(rule)) {
    if (op === 'var') {
      const path = Array.isArray(args) ? args[0] : args;
      // A computed path, the whole data or the whole profile may include the stage.
      if (typeof path !== 'string' || path === '' || path === 'profile') return true;
    }
    if (op.includes('stage') || mayReadStage(args)) return true;
  }
  return false;
}
