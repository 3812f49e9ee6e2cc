/**
 * The models part: the `score` operator with the bundle's models, and bandit experiments. What
 * createAttune loads (client/load-parts.ts) only for bundles with `models[]` or a bandit.
 */
import type { ModelsPart } from '../decide/compile-bundle.js';
import { createBanditDraw } from '../decide/bandits.js';
import { createBundleScores } from '../decide/scores.js';

export const modelsPart: ModelsPart = { scores: createBundleScores, bandits: createBanditDraw };
