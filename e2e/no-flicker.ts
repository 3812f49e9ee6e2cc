import { expect, type Page } from '@playwright/test';

/** What one element showed: its visible text at a time (ms since navigation start), null when absent or hidden. */
export interface Frame {
  t: number;
  text: string | null;
  /** The element is there but hidden (a pending slot). */
  hidden: boolean;
  /** True when sampled in an animation frame (what can be painted); false for a DOM change between frames. */
  painted: boolean;
}

declare global {
  interface Window {
    __attuneFrames?: Record<string, Frame[]>;
  }
}

/**
 * Records, from navigation start on every page load, the visible text of the first element matching
 * each selector: on every animation frame (what the visitor can see) and on every DOM change in
 * between (a MutationObserver), one entry per change.
 */
export async function install(page: Page, selectors: readonly string[]): Promise<void> {
  await page.addInitScript((watched: readonly string[]) => {
    const frames: Record<string, Frame[]> = {};
    window.__attuneFrames = frames;
    const sample = (painted: boolean) => {
      for (const selector of watched) {
        const element = document.querySelector<HTMLElement>(selector);
        const hidden = element !== null && getComputedStyle(element).visibility === 'hidden';
        const text = element === null || hidden ? null : (element.textContent ?? '').trim();
        const list = (frames[selector] ??= []);
        const last = list[list.length - 1];
        if (!last || last.text !== text || last.hidden !== hidden) list.push({ t: performance.now(), text, hidden, painted });
        else if (painted) last.painted = true;
      }
    };
    new MutationObserver(() => sample(false)).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    const frame = () => {
      sample(true);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, selectors);
}

/** What the element matching `selector` showed so far on this page load. */
export async function frames(page: Page, selector: string): Promise<Frame[]> {
  return page.evaluate((watched) => window.__attuneFrames?.[watched] ?? [], selector);
}

/** The texts painted (shown in some animation frame), in order, repeats collapsed. */
export function paintedTexts(recorded: readonly Frame[]): (string | null)[] {
  const texts: (string | null)[] = [];
  for (const frame of recorded) if (frame.painted && texts[texts.length - 1] !== frame.text) texts.push(frame.text);
  return texts;
}

/** No painted frame shows `defaultText` before a later painted frame shows `personalizedText`. */
export function expectNoFlicker(recorded: readonly Frame[], defaultText: string, personalizedText: string): void {
  const texts = paintedTexts(recorded);
  const personalized = texts.indexOf(personalizedText);
  if (personalized >= 0) expect(texts.slice(0, personalized), `painted before the personalized text: ${JSON.stringify(texts)}`).not.toContain(defaultText);
}

/**
 * The slot was hidden from its first painted frame, then showed `defaultText` within the timeout
 * (300 ms, plus a frame or two), and nothing else after.
 */
export function expectDefaultByTimeout(recorded: readonly Frame[], defaultText: string, timeoutMs = 300): void {
  const painted = recorded.filter((frame) => frame.painted);
  expect(paintedTexts(recorded).filter((text) => text !== null)).toEqual([defaultText]);
  const hidden = painted.find((frame) => frame.hidden);
  const shown = painted.find((frame) => frame.text === defaultText);
  expect(hidden, 'the slot is hidden while pending').toBeDefined();
  expect(shown!.t - hidden!.t).toBeLessThan(timeoutMs + 200);
}
