import type { Bundle } from '../bundle/schema.js';
import type { RuleHost } from '../rules/attune-operators.js';
import { extraOperators } from '../rules/extra-operators.js';
import { compileBundle as compileWithParts, type BundleParts } from './compile-bundle.js';
import type { CompiledBundle } from './types.js';

/**
 * compileBundle as the package exports it, for use on its own (Node, SSR, build steps, tests):
 * every rule operator is there, none waits for a part (the client loads the operators off its
 * critical path only for bundles that use them; see client/lazy-parts.ts). `parts` adds the
 * models part (`modelsPart`) for bundles with models or bandits.
 */
export const compileBundle = (bundle: Bundle, host?: RuleHost, parts: BundleParts = {}): CompiledBundle =>
  compileWithParts(bundle, host, { operators: extraOperators, ...parts });
