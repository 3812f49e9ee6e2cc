/**
 * @attune/openfeature: an OpenFeature web provider over an Attune client, so code that evaluates
 * flags through `@openfeature/web-sdk` gets Attune's on-device decisions (docs/openfeature.md).
 */
export { AttuneProvider } from './provider.js';
export type { AttuneProviderOptions } from './provider.js';
