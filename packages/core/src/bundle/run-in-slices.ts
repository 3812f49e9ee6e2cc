/**
 * Resolves in a task of its own, so the page renders and handles input in between. A message
 * rather than setTimeout: timers are clamped to 4 ms when nested and throttled to one a second in
 * background tabs.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') return void setTimeout(resolve);
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close(); // An open port would keep Node's event loop alive.
      resolve();
    };
    port2.postMessage(0);
  });
}

/** Main-thread time of one slice, by `now()`: well under the 50 ms that makes a long task. */
export const SLICE_MS = 10;

/**
 * Runs `steps` to its end in slices of about SLICE_MS, each in a task of its own (the first one
 * too: the caller's synchronous work ends first). Resolves to what `steps` returns, rejects with
 * what it throws.
 */
export async function runInSlices<T>(steps: Generator<void, T>, now: () => number): Promise<T> {
  for (let end = -Infinity; ; ) {
    if (now() >= end) {
      await nextTask();
      end = now() + SLICE_MS;
    }
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs `steps` to its end at once (no slices): for callers that want the result synchronously. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
