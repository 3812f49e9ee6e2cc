import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFlickers, firstShown, hiddenFrames, slotChanges, steadyProblems, type SlotFrame } from './no-flicker-frames.js';

const DEFAULT = 'Welcome to the shop';
const PERSONAL = 'Welcome back!';

/** One frame every 16 ms; each state: text, null (hidden) or undefined (not in the page). */
function frames(...states: (string | null | undefined)[]): SlotFrame[] {
  return states.map((text, i): SlotFrame => ({ at: i * 16, slots: text === undefined ? {} : { hero: text } }));
}

describe('findFlickers', () => {
  it('catches the default headline replaced by the personalized one', () => {
    expect(findFlickers(frames(undefined, DEFAULT, DEFAULT, PERSONAL), { hero: DEFAULT })).toEqual([
      { slot: 'hero', shown: DEFAULT, shownAt: 16, replacedBy: PERSONAL, replacedAt: 48 },
    ]);
  });

  it('catches the default hidden and then replaced', () => {
    expect(findFlickers(frames(DEFAULT, null, null, PERSONAL), { hero: DEFAULT })).toHaveLength(1);
  });

  it('accepts a slot hidden while pending and then personalized', () => {
    expect(findFlickers(frames(undefined, null, null, PERSONAL, PERSONAL), { hero: DEFAULT })).toEqual([]);
  });

  it('accepts a slot that shows its default and keeps it', () => {
    expect(findFlickers(frames(undefined, null, DEFAULT, DEFAULT), { hero: DEFAULT })).toEqual([]);
  });

  it('accepts personalized content changed to other personalized content', () => {
    expect(findFlickers(frames(null, PERSONAL, 'Your picks'), { hero: DEFAULT })).toEqual([]);
  });

  it('without a given default, takes the first text shown as the default', () => {
    expect(findFlickers(frames(null, DEFAULT, PERSONAL))).toMatchObject([{ shown: DEFAULT, replacedBy: PERSONAL }]);
    expect(findFlickers(frames(null, PERSONAL, PERSONAL))).toEqual([]);
  });

  it('checks each slot on its own', () => {
    const recorded: SlotFrame[] = [
      { at: 0, slots: { hero: null, promo: 'Free shipping' } },
      { at: 16, slots: { hero: PERSONAL, promo: 'Free shipping' } },
      { at: 32, slots: { hero: PERSONAL, promo: '10% off' } },
    ];
    expect(findFlickers(recorded, { hero: DEFAULT, promo: 'Free shipping' })).toMatchObject([{ slot: 'promo', replacedBy: '10% off' }]);
  });

  it('reports flicker exactly when some frame shows the default and a later one other text', () => {
    const state = fc.constantFrom<string | null | undefined>(undefined, null, DEFAULT, PERSONAL);
    fc.assert(
      fc.property(fc.array(state, { maxLength: 12 }), (states) => {
        const flickered = states.some((text, i) => text === DEFAULT && states.slice(i + 1).includes(PERSONAL));
        expect(findFlickers(frames(...states), { hero: DEFAULT }).length).toBe(flickered ? 1 : 0);
      }),
    );
  });
});

describe('steadyProblems', () => {
  it('accepts the default shown by the deadline and kept', () => {
    expect(steadyProblems(frames(undefined, null, DEFAULT, DEFAULT, DEFAULT), 'hero', DEFAULT, 40)).toEqual([]);
  });

  it('reports a default shown after the deadline', () => {
    expect(steadyProblems(frames(null, null, null, DEFAULT), 'hero', DEFAULT, 40)).toEqual([{ slot: 'hero', problem: 'shown late', at: 48 }]);
  });

  it('reports a late swap to personalized content', () => {
    expect(steadyProblems(frames(null, DEFAULT, DEFAULT, PERSONAL), 'hero', DEFAULT, 40)).toEqual([{ slot: 'hero', problem: 'changed after', at: 48, text: PERSONAL }]);
  });

  it('reports a slot hidden again after it showed', () => {
    expect(steadyProblems(frames(DEFAULT, null, DEFAULT), 'hero', DEFAULT, 40).map((p) => p.problem)).toEqual(['changed after', 'changed after']);
  });

  it('reports a slot that never showed, or showed other text first', () => {
    expect(steadyProblems(frames(null, null), 'hero', DEFAULT, 40)).toEqual([{ slot: 'hero', problem: 'never shown' }]);
    expect(steadyProblems(frames(PERSONAL), 'hero', DEFAULT, 40)).toEqual([{ slot: 'hero', problem: 'other text', at: 0, text: PERSONAL }]);
  });
});

describe('slot timelines', () => {
  it('lists what changed, when, and the frames where the slot was hidden', () => {
    const recorded = frames(undefined, null, null, PERSONAL);
    expect(slotChanges(recorded, 'hero')).toEqual([
      { at: 16, text: null },
      { at: 48, text: PERSONAL },
    ]);
    expect(firstShown(recorded, 'hero')).toEqual({ at: 48, text: PERSONAL });
    expect(hiddenFrames(recorded, 'hero')).toEqual([16, 32]);
  });
});
