/**
 * The code createAttune loads only when a bundle or the page needs it, as separate chunks for
 * bundlers (dynamic `import()`). The script tag's build replaces this module with its own
 * (packages/tag/src/load-parts.ts), which loads the same parts from files beside the tag.
 */
import type { CreateScores } from '../decide/types.js';
import type { RecommendPart } from './recommendations.js';

/** The bundle's models for the `score` operator, for bundles with `models[]`. */
export const loadModels = (): Promise<CreateScores> => import('../decide/scores.js').then((part) => part.createBundleScores);

/** Catalog checks and ranking, once the page first asks a recommender for a list. */
export const loadRecommend = (): Promise<RecommendPart> => import('../models/recommend/recommend-part.js').then((part) => part.recommendPart);
