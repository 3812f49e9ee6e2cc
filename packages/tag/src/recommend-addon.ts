/**
 * attune-recommend.min.js: catalog checks and ranking for a bundle's recommenders, and the
 * rendering of `data-attune-recommend` lists, loaded by the tag only when the page asks for a list
 * (such an element, or client.recommend); see load-parts.ts. Handed to the tag through a global.
 */
import { recommendPart } from '@attune/core';
import { renderRecommendations } from './render-recommendations.js';

export interface RecommendAddon {
  part: typeof recommendPart;
  render: typeof renderRecommendations;
}

(window as Window & { __attuneRecommend?: RecommendAddon }).__attuneRecommend = { part: recommendPart, render: renderRecommendations };
