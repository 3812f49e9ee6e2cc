/**
 * The no-flicker harness, for the tag and every framework example: from navigation start, an init
 * script records on every animation frame the visible text of each element matching a selector;
 * the checks (no-flicker-frames.ts) then tell whether a visitor saw default content replaced.
 *
 *   await recordSlotFrames(page);                     // before page.goto / page.reload
 *   await page.goto('/shop/');
 *   await expectNoFlicker(page, { hero: 'Welcome to Attune Outfitters' });
 *
 * A slot is named by its id, else its data-attune-slot, else its index among the matches. It is
 * hidden (null in a frame) while it or an ancestor has data-attune-pending, or it is not rendered
 * (display: none, visibility: hidden, opacity: 0, no layout box).
 */
import { expect, type Page } from '@playwright/test';
import { findFlickers, hiddenFrames, steadyProblems, type SlotFrame } from './no-flicker-frames.js';

export * from './no-flicker-frames.js';

interface Recording {
  /** One entry per animation frame. */
  frames: SlotFrame[];
  /**
   * What the slots showed after each batch of DOM changes (MutationObserver), when it differed:
   * what happened between frames, to explain a failure (a state no frame showed was never seen).
   */
  changes: SlotFrame[];
}

/** The init script: runs in the page before any of its own scripts. Self-contained (serialized). */
function recorder(selector: string): void {
  const recording: Recording = { frames: [], changes: [] };
  (window as unknown as { __attuneSlotFrames: Recording }).__attuneSlotFrames = recording;
  const read = (at: number): SlotFrame => {
    const slots: Record<string, string | null> = {};
    document.querySelectorAll<HTMLElement>(selector).forEach((element, index) => {
      const name = element.id || element.getAttribute('data-attune-slot') || String(index);
      const visible = !element.closest('[data-attune-pending]') && element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
      slots[name] = visible ? element.innerText.replace(/\s+/g, ' ').trim() : null;
    });
    return { at, slots };
  };
  const frame = (at: number): void => {
    recording.frames.push(read(at));
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  let last = '';
  new MutationObserver(() => {
    const state = read(performance.now());
    const key = JSON.stringify(state.slots);
    if (key !== last) recording.changes.push(state);
    last = key;
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/** Records every frame of the next documents this page opens (call before goto / reload). */
export async function recordSlotFrames(page: Page, selector = '[data-attune-slot]'): Promise<void> {
  await page.addInitScript(recorder, selector);
}

/** What was recorded in the current document so far. */
export async function recorded(page: Page): Promise<Recording> {
  return page.evaluate(() => (window as unknown as { __attuneSlotFrames: Recording }).__attuneSlotFrames);
}

/** Waits until `ms` have passed since navigation start (frames keep being recorded meanwhile). */
export async function waitUntilPageTime(page: Page, ms: number): Promise<void> {
  await page.waitForFunction((until) => performance.now() >= until, ms, { polling: 50 });
}

/**
 * Asserts that no frame showed a slot's default content that a later frame replaced (see
 * findFlickers; a slot missing from `defaults` takes the first text it showed as its default).
 */
export async function expectNoFlicker(page: Page, defaults: Record<string, string> = {}): Promise<void> {
  const { frames, changes } = await recorded(page);
  expect(frames.length, 'frames were recorded').toBeGreaterThan(0);
  // The DOM states say what happened between frames (not seen, so not flicker by themselves).
  expect(findFlickers(frames, defaults), `default content replaced in a later frame; DOM states: ${JSON.stringify(changes)}`).toEqual([]);
}

/** Asserts that `slot` showed `text` by `deadline` (ms since navigation start) and nothing changed after. */
export async function expectSteady(page: Page, slot: string, text: string, deadline: number): Promise<void> {
  const { frames } = await recorded(page);
  expect(steadyProblems(frames, slot, text, deadline)).toEqual([]);
}

/** Asserts that `slot` was never hidden in any frame. */
export async function expectNeverHidden(page: Page, slot: string): Promise<void> {
  const { frames } = await recorded(page);
  expect(frames.some((frame) => Object.hasOwn(frame.slots, slot)), `${slot} was in the page`).toBe(true);
  expect(hiddenFrames(frames, slot), `frames in which ${slot} was hidden`).toEqual([]);
}
