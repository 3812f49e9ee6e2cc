import type { BundleModelFeature } from '../bundle/schema.js';

/**
 * Compiles a rule the way the bundle's rules are compiled (the same operators, segments and
 * per-pass reads: CompiledBundle.compile), so a feature reads exactly what a rule reads; throws
 * an AttuneError naming `where` when the rule does not compile.
 */
export type CompileRead = (rule: unknown, where: string) => (data: unknown) => unknown;

/**
 * A model's features as numbers: each `from` (a path, read as `{"var": path}`, or a rule) compiled
 * once. Per evaluation, a finite number is used as it is, true and false as 1 and 0; anything else
 * (absent, null, a text, `since`'s Infinity for an event never seen) takes the feature's `default`,
 * or stays missing (NaN). Then `(x - mean) / scale`. Returns the same array each time, refilled:
 * copy it to keep it. A rule that throws throws here.
 */
export function featureReader(features: readonly BundleModelFeature[], compile: CompileRead, where: string): (data: unknown) => Float64Array {
  const reads = features.map((feature, i) => compile(typeof feature.from === 'string' ? { var: feature.from } : feature.from, `${where} features[${i}] ("${feature.name}")`));
  const fallback = Float64Array.from(features, (feature) => feature.default ?? NaN);
  const mean = Float64Array.from(features, (feature) => feature.mean ?? 0);
  const scale = Float64Array.from(features, (feature) => feature.scale ?? 1);
  const out = new Float64Array(features.length);
  return (data) => {
    for (let i = 0; i < out.length; i++) {
      const value = reads[i]!(data);
      const x = typeof value === 'boolean' ? +value : typeof value === 'number' && Number.isFinite(value) ? value : fallback[i]!;
      out[i] = (x - mean[i]!) / scale[i]!;
    }
    return out;
  };
}
