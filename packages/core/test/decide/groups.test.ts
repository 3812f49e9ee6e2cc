import { describe, expect, it } from 'vitest';
import { decide, decideAll } from '../../src/decide/decide.js';
import { newPageView } from '../../src/decide/page-view.js';
import { compile, data, experience, input, viewed } from './decide-support.js';

/**
 * Three slots. "banner" (priority 9, hero) and "popup" (priority 5, modal) share the group "promo";
 * "inline" (priority 1, side) is in it too; each slot also has a fallback outside the group.
 */
const bundle = (extra: Record<string, Record<string, unknown>> = {}) =>
  compile([
    experience('popup', 'modal', { priority: 5, group: 'promo', ...extra.popup }),
    experience('banner', 'hero', { priority: 9, group: 'promo', ...extra.banner }),
    experience('inline', 'side', { priority: 1, group: 'promo', ...extra.inline }),
    experience('modal-fallback', 'modal', { priority: 0 }),
    experience('hero-fallback', 'hero', { priority: 0 }),
  ]);

const served = (decisions: readonly { slot: string; experience: string | null }[]) => Object.fromEntries(decisions.map((d) => [d.slot, d.experience]));

describe('exclusion groups', () => {
  it('serves one experience of a group per page view: the one decided first in priority order', () => {
    expect(served(decideAll(bundle(), input()))).toEqual({ modal: 'modal-fallback', hero: 'banner', side: null });
  });

  it('reports capped with the group in the message when a slot has nothing else to serve', () => {
    const decision = decideAll(bundle(), input()).find((d) => d.slot === 'side');
    expect(decision).toMatchObject({ reason: 'capped', message: 'experience "inline": exclusion group "promo" is already used on this page view' });
  });

  it('gives the same answer whatever order the slots are decided in', () => {
    const compiled = bundle();
    const orders = [
      ['side', 'modal', 'hero'],
      ['hero', 'modal', 'side'],
      ['modal', 'side', 'hero'],
    ];
    for (const order of orders) {
      const pageView = newPageView();
      const decisions = order.map((slot) => decide(compiled, slot, input({ pageView })));
      expect(served(decisions)).toEqual({ modal: 'modal-fallback', hero: 'banner', side: null });
    }
  });

  it('passes the group on when the higher-priority member is not in its audience', () => {
    const compiled = bundle({ banner: { audience: viewed(3) } });
    expect(served(decideAll(compiled, input()))).toEqual({ modal: 'popup', hero: 'hero-fallback', side: null });
  });

  it('gives the same answer to decide for one slot alone as to decideAll', () => {
    const compiled = bundle({ banner: { audience: viewed(3) } });
    expect(decide(compiled, 'modal', input()).experience).toBe('popup');
    expect(decide(compiled, 'side', input()).experience).toBe(null);
  });

  it('returns the same experience when the same slot is decided twice in a page view', () => {
    const compiled = bundle();
    const pageView = newPageView();
    const first = decide(compiled, 'hero', input({ pageView }));
    expect(decide(compiled, 'hero', input({ pageView }))).toBe(first);
  });

  it('keeps a group with the experience that took it for the rest of the page view', () => {
    const compiled = bundle({ banner: { audience: viewed(3) } });
    const pageView = newPageView();
    expect(decide(compiled, 'modal', input({ pageView })).experience).toBe('popup');
    // Now the banner's audience matches, but the popup is already on the page.
    expect(served(decideAll(compiled, input({ pageView, data: data(3) })))).toEqual({ modal: 'popup', hero: 'hero-fallback', side: null });
    expect(served(decideAll(compiled, input({ pageView: newPageView(), data: data(3) })))).toEqual({ modal: 'modal-fallback', hero: 'banner', side: null });
  });

  it('lets experiences of a group in the same slot compete like any candidates', () => {
    const compiled = compile([experience('a', 'hero', { priority: 2, group: 'g', audience: viewed(1) }), experience('b', 'hero', { priority: 1, group: 'g' })]);
    expect(decide(compiled, 'hero', input()).experience).toBe('b');
    expect(decide(compiled, 'hero', input({ data: data(1) })).experience).toBe('a');
  });

  it('takes the group for an experiment holdout too, so the holdout sees no other member', () => {
    const compiled = bundle({ banner: { experiment: { id: 'banner-test', holdout: 1 } } });
    expect(decideAll(compiled, input()).map((d) => [d.slot, d.reason, d.experience])).toEqual([
      ['modal', 'matched', 'modal-fallback'],
      ['hero', 'holdout', 'banner'],
      ['side', 'capped', null],
    ]);
  });
});
