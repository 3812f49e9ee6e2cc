/**
 * @attune/core/server: deciding slots on a server (Node, Next.js server components) from the
 * bundle and the request, for server rendering without flicker (docs/ssr.md).
 */
export { createServerDecider } from './server-decider.js';
export type { ServerDecider, ServerDeciderOptions, ServerExperience, ServerRequest } from './server-decider.js';
export { ID_COOKIE } from './server-decisions.js';
export type { ServerDecisions, ServerSlot } from './server-decisions.js';
export type { Decision, DecisionReason } from '../decide/decide.js';
export { simulateVisitor } from './simulate.js';
export type { SimulatedEvent, SimulatedVisitor, Simulation } from './simulate.js';
