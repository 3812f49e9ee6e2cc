import { describe, expect, it } from 'vitest';
import { checkSteps } from '../../src/bundle/check-steps.js';
import { validateBundle } from '../../src/bundle/validate-bundle.js';
import { EMPTY_RULE_HOST } from '../../src/rules/attune-operators.js';
import { compileBundle, compileSteps } from '../../src/decide/compile-bundle.js';
import { decideAll } from '../../src/decide/decide.js';
import { nextTask, runInSlices, SLICE_MS } from '../../src/bundle/run-in-slices.js';
import { thrownAttuneError } from '../support.js';
import { data, experience, input, rawBundle, viewed } from './decide-support.js';

/** 40 experiences over 8 slots, some in an exclusion group, each with an audience rule. */
const large = () =>
  validateBundle(
    rawBundle(
      Array.from({ length: 40 }, (_, i) => experience(`e${i}`, `slot-${i % 8}`, { priority: i % 5, audience: viewed(i % 4), ...(i % 3 === 0 && { group: 'promo' }) })),
      { segments: Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, when: { '>': [{ var: 'profile.counters.product_viewed' }, i] } })) },
    ),
  );

/** A clock on which every step of work takes a whole slice: each step then runs in a task of its own. */
function slowClock(): () => number {
  let ms = 0;
  return () => (ms += SLICE_MS);
}

/** Counts the tasks the page gets to run (one after another) until `stop()`. */
function pageTasks(): { count: () => number; stop: () => void } {
  let tasks = 0;
  let done = false;
  void (async () => {
    while (!done) {
      await nextTask();
      tasks++;
    }
  })();
  return { count: () => tasks, stop: () => void (done = true) };
}

describe('compiling a bundle in slices', () => {
  it('lets the page run between slices instead of compiling in one task', async () => {
    const page = pageTasks();
    const compiling = runInSlices(compileSteps(large()), slowClock());
    // Microtasks alone never finish it: it waits for tasks, in which the page's own work runs too.
    let finished = false;
    void compiling.then(() => (finished = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(finished).toBe(false);
    await compiling;
    page.stop();
    expect(page.count()).toBeGreaterThan(10);
  });

  it('decides exactly as the bundle compiled in one go', async () => {
    const sliced = await runInSlices(compileSteps(large()), slowClock());
    const whole = compileBundle(large());
    for (const views of [0, 1, 2, 3]) {
      const decisions = (compiled: typeof whole) => decideAll(compiled, input({ data: data(views) })).map((d) => [d.slot, d.experience, d.reason]);
      expect(decisions(sliced)).toEqual(decisions(whole));
    }
  });

  it('still rejects the bundle as a whole for a bad rule in the experience compiled last', async () => {
    const bundle = large();
    Object.assign(bundle.experiences.at(-1)!, { priority: -1, audience: { rule: { nope: [1] } } });
    const error = await runInSlices(compileSteps(bundle), slowClock()).catch((error: unknown) => error);
    expect(error).toMatchObject({ code: 'bundle-rule-invalid', message: expect.stringContaining('experience "e39" audience.rule') });
    expect(thrownAttuneError(() => compileBundle(bundle))).toMatchObject({ code: 'bundle-rule-invalid' });
  });

  it('validates a parsed bundle in a slice of its own, not in the task that parsed it', async () => {
    const steps = checkSteps({ ...rawBundle([experience('e', 'hero')]), version: -1 }, EMPTY_RULE_HOST); // Nothing checked yet.
    await expect(runInSlices(steps, slowClock())).rejects.toMatchObject({ code: 'bundle-invalid', message: expect.stringContaining('version') });
  });

  it('checks the structure and references of a large bundle in slices too, and still rejects it for a problem in its last experience', async () => {
    const experiences = Array.from({ length: 1000 }, (_, i) => experience(`e${i}`, `slot-${i % 8}`));
    const raw = rawBundle([...experiences.slice(0, -1), { ...experiences.at(-1)!, variants: [] }]);
    const page = pageTasks();
    const error = await runInSlices(checkSteps(raw, EMPTY_RULE_HOST), slowClock()).catch((error: unknown) => error);
    page.stop();
    expect(error).toMatchObject({ code: 'bundle-invalid', message: expect.stringContaining('experiences[999].variants: too small (at least 1)') });
    // 1,000 experiences are checked in 10 steps, each in a task of its own on this clock.
    expect(page.count()).toBeGreaterThanOrEqual(10);
  });
});
