/**
 * attune-adapters.min.js: the Segment and Snowplow collector formats, loaded by the tag only when
 * `data-adapter` asks for one of them (see load-adapter.ts). It hands a factory to the tag through
 * a global.
 */
import { segmentAdapter, snowplowAdapter } from '@attune/core';
import type { MakeAdapter } from './load-adapter.js';

const make: MakeAdapter = (name, appId) => (name === 'segment' ? segmentAdapter() : snowplowAdapter(appId ? { appId } : {}));
(window as Window & { __attuneAdapter?: MakeAdapter }).__attuneAdapter = make;
