import type { Bundle } from '../bundle/schema.js';
import type { RuleHost } from '../rules/attune-operators.js';
import { extraOperators } from '../rules/extra-operators.js';
import { compileBundle as compileWithParts, type BundleParts } from './compile-bundle.js';
import { experimentOutcome } from './experiment-outcome.js';
import type { CompiledBundle } from './types.js';

/**
 * The parts the client loads only for bundles that need them (see client/lazy-parts.ts), for
 * code that compiles bundles on its own: every rule operator, experiments. Not the models part
 * (models/models-part.ts), which callers add for bundles with models or bandits.
 */
export const STANDALONE_PARTS: BundleParts = { operators: extraOperators, experiments: experimentOutcome };

/**
 * compileBundle as the package exports it, for use on its own (Node, SSR, build steps, tests):
 * none of its code waits for a part. `parts` adds the models part (`modelsPart`) for bundles
 * with models or bandits.
 */
export const compileBundle = (bundle: Bundle, host?: RuleHost, parts: BundleParts = {}): CompiledBundle =>
  compileWithParts(bundle, host, { ...STANDALONE_PARTS, ...parts });
