import type { CaptureTarget } from '../../src/capture/auto-capture.js';

/** One call a collector made on its target. */
export type Call = { method: 'track' | 'page'; name?: string; properties?: Record<string, unknown> };

/** A capture target that records every call, in order. */
export function recordingTarget(): CaptureTarget & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    track: (name, properties) => void calls.push({ method: 'track', name, properties }),
    page: (properties) => void calls.push({ method: 'page', properties }),
  };
}

/** Starts collectors and remembers their stop functions, so `stopAll()` in afterEach cleans up. */
export function starter<Args extends unknown[]>(capture: (target: CaptureTarget, ...args: Args) => () => void) {
  const stops: Array<() => void> = [];
  return {
    start(target: CaptureTarget, ...args: Args): () => void {
      const stop = capture(target, ...args);
      stops.push(stop);
      return stop;
    },
    stopAll(): void {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
