import type { CollectorAdapter } from '@attune/core';

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
export function loadAdapter(name: LazyAdapterName, appId: string | undefined, tagUrl: string, retry: () => void): CollectorAdapter {
  let adapter: CollectorAdapter | undefined;
  let refused = false;
  const script = document.createElement('script');
  script.async = true;
  script.src = new URL('attune-adapters.min.js', tagUrl).href;
  const missing = (): void => console.warn(`[attune] could not load ${script.src}: events wait in the queue until it loads.`);
  script.onload = () => {
    // Another file at that URL (a stale deploy) loads without providing the formats.
    adapter = (window as Window & { __attuneAdapter?: MakeAdapter }).__attuneAdapter?.(name, appId);
    if (!adapter) missing();
    else if (refused) retry();
  };
  script.onerror = missing;
  document.head.appendChild(script);
  return (events, options) => {
    if (!adapter) {
      refused = true;
      throw new Error(`[attune] the ${name} collector format is still loading`);
    }
    return adapter(events, options);
  };
}
