/**
 * The recommendations part: what createAttune loads (client/load-parts.ts) only when the page
 * first asks a recommender for a list, so pages that never recommend never download the catalog
 * checks, the ranking or the client's list-keeping (client/recommendations.ts).
 */
export { createRecommendations as recommendPart } from '../../client/recommendations.js';
export type { RecommendationDeps } from '../../client/recommendations.js';
