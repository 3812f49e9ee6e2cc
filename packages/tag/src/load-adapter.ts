import type { CollectorAdapter } from '@attune/core';
import { loadPart } from './load-parts.js';

/** The collector formats kept out of the main tag (see adapters-addon.ts). */
export type LazyAdapterName = 'segment' | 'snowplow';
export type MakeAdapter = (name: LazyAdapterName, appId: string | undefined) => CollectorAdapter;

/**
 * Loads attune-adapters.min.js from beside the tag and returns an adapter that uses it once it
 * has loaded, so pages that send Attune's own JSON never download the Segment and Snowplow
 * formats. Until then a send throws: sync keeps the events queued (nothing goes out in the
 * wrong format) and `retry` runs once the file is there. A missing or wrong file costs a
 * warning, and the events wait in the queue.
 */
export function loadAdapter(name: LazyAdapterName, appId: string | undefined, retry: () => void): CollectorAdapter {
  let adapter: CollectorAdapter | undefined;
  let refused = false;
  loadPart<MakeAdapter>('attune-adapters.min.js', '__attuneAdapter').then(
    (make) => {
      adapter = make(name, appId);
      if (refused) retry();
    },
    (error: Error) => console.warn(`[attune] ${error.message}: events wait in the queue until it loads.`),
  );
  return (events, options) => {
    if (!adapter) {
      refused = true;
      throw new Error(`[attune] the ${name} collector format is still loading`);
    }
    return adapter(events, options);
  };
}
