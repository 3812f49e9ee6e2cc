/**
 * What a page showed in its slots, frame by frame, and the checks that tell flicker from it. Pure
 * functions over recorded frames (see no-flicker.ts for the recorder), so the checks themselves are
 * unit-tested with made-up frame sequences (no-flicker-frames.test.ts).
 */

/** What one animation frame showed of each slot. */
export interface SlotFrame {
  /** Milliseconds since navigation start (the frame's requestAnimationFrame time). */
  at: number;
  /** Each slot in the page: its visible text, or null while it is hidden (pending). A slot not in the page yet is absent. */
  slots: Record<string, string | null>;
}

/** A slot showed `shown` (its default) and a later frame replaced it with `replacedBy`. */
export interface Flicker {
  slot: string;
  shown: string;
  shownAt: number;
  replacedBy: string;
  replacedAt: number;
}

/** A change of what one slot shows: its text, null (hidden) or undefined (not in the page). */
export interface SlotChange {
  at: number;
  text: string | null | undefined;
}

const slotNames = (frames: SlotFrame[]): string[] => [...new Set(frames.flatMap((frame) => Object.keys(frame.slots)))];

const shownIn = (frame: SlotFrame, slot: string): string | null | undefined => (Object.hasOwn(frame.slots, slot) ? frame.slots[slot] : undefined);

/** The frames where what `slot` shows differs from the frame before (the first frame counts when the slot is in it). */
export function slotChanges(frames: SlotFrame[], slot: string): SlotChange[] {
  const changes: SlotChange[] = [];
  let last: string | null | undefined;
  for (const frame of frames) {
    const text = shownIn(frame, slot);
    if (text !== last) changes.push({ at: frame.at, text });
    last = text;
  }
  return changes;
}

/** The first frame in which `slot` shows text (not hidden, in the page), if any. */
export function firstShown(frames: SlotFrame[], slot: string): { at: number; text: string } | undefined {
  const change = slotChanges(frames, slot).find((c) => typeof c.text === 'string');
  return change && { at: change.at, text: change.text as string };
}

/**
 * Flicker: a frame shows a slot's default content and a later frame shows other content in that
 * slot. `defaults` gives a slot's default text; a slot without one takes the first text it showed,
 * so then any later text is flicker. Hidden frames in between do not excuse it (default, hidden,
 * personalized is still the default replaced).
 */
export function findFlickers(frames: SlotFrame[], defaults: Record<string, string> = {}): Flicker[] {
  const flickers: Flicker[] = [];
  for (const slot of slotNames(frames)) {
    const fallback = Object.hasOwn(defaults, slot) ? defaults[slot] : firstShown(frames, slot)?.text;
    let shownAt: number | undefined;
    for (const frame of frames) {
      const text = shownIn(frame, slot);
      if (text === fallback) shownAt ??= frame.at;
      else if (typeof text === 'string' && shownAt !== undefined) {
        flickers.push({ slot, shown: fallback!, shownAt, replacedBy: text, replacedAt: frame.at });
        break;
      }
    }
  }
  return flickers;
}

/** What went wrong for a slot that must show `text` by `deadline` and keep it. */
export interface SteadyProblem {
  slot: string;
  problem: 'never shown' | 'shown late' | 'other text' | 'changed after';
  at?: number;
  text?: string | null | undefined;
}

/**
 * Checks that `slot` shows `text` no later than `deadline` (ms since navigation start) and that
 * nothing changes after it first shows text (not hidden again, not replaced, not removed).
 * Returns the problems; none means the slot was steady.
 */
export function steadyProblems(frames: SlotFrame[], slot: string, text: string, deadline: number): SteadyProblem[] {
  const shown = firstShown(frames, slot);
  if (!shown) return [{ slot, problem: 'never shown' }];
  const problems: SteadyProblem[] = [];
  if (shown.at > deadline) problems.push({ slot, problem: 'shown late', at: shown.at });
  if (shown.text !== text) problems.push({ slot, problem: 'other text', at: shown.at, text: shown.text });
  for (const change of slotChanges(frames, slot).filter((c) => c.at > shown.at)) problems.push({ slot, problem: 'changed after', at: change.at, text: change.text });
  return problems;
}

/** The times of the frames in which `slot` was in the page but hidden. */
export function hiddenFrames(frames: SlotFrame[], slot: string): number[] {
  return frames.filter((frame) => shownIn(frame, slot) === null).map((frame) => frame.at);
}
