/**
 * @attune/core/adapters: the collector formats on their own (docs/collector-formats.md "Collector formats"): each
 * turns a batch of events into the HTTP requests of its format, for createAttune({ adapter }) or
 * for code that forwards Attune events itself.
 */
export { jsonAdapter } from './sync/adapters/json.js';
export { segmentAdapter } from './sync/adapters/segment.js';
export type { SegmentSettings } from './sync/adapters/segment.js';
export { snowplowAdapter } from './sync/adapters/snowplow.js';
export type { SnowplowSettings } from './sync/adapters/snowplow.js';
export type { AdapterOptions, CollectorAdapter, CollectorRequest } from './sync/adapters/types.js';
export type { AttuneEvent, EventType } from './events/event.js';
