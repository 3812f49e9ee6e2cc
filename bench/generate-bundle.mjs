// Generated bundles for the benchmarks: experiences with audience rules of the kinds sites write
// (event history, affinities, page context), segments reusing earlier segments, experiments,
// exclusion groups, caps and schedules. `random` is a seeded PRNG (prng.mjs), so a bundle is the
// same on every run and machine.

export const NAMES = ['page_view', 'product_viewed', 'add_to_cart', 'search', 'purchase', 'newsletter_signup', 'video_play', 'click'];
export const CATEGORIES = ['outerwear', 'footwear', 'accessories', 'bags', 'knitwear', 'denim'];
export const DEVICES = ['mobile', 'desktop', 'tablet'];
export const SOURCES = ['google', 'newsletter', 'facebook', null];
export const PATHS = ['/', '/shop', '/shop/shoes', '/cart', '/blog/sale'];

/**
 * A bundle of `experiences` experiences over `slots` slots and `segments` segments (one rule each,
 * plus one audience rule per experience).
 */
export function generateBundle(random, { experiences: count, slots, segments: segmentCount, id = 'bench' }) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));

  /** A leaf condition of the kinds personalization rules use: history, affinities, context. */
  function condition() {
    switch (int(0, 9)) {
      case 0: return { '>=': [{ count: [pick(NAMES), pick(['30m', '1d', '7d', '30d'])] }, int(1, 30)] };
      case 1: return { '>=': [{ count: [pick(NAMES)] }, int(10, 400)] };
      case 2: return { '<': [{ since: pick(NAMES) }, int(600, 30 * 86_400)] };
      case 3: return { '>': [{ affinity: ['category', pick(CATEGORIES)] }, random() * 5] };
      case 4: return { '==': [{ affinity: ['category'] }, pick(CATEGORIES)] };
      case 5: return { '==': [{ var: 'context.device.type' }, pick(DEVICES)] };
      case 6: return { '==': [{ var: 'context.campaign.source' }, pick(SOURCES)] };
      case 7: return { starts_with: [{ var: 'context.page.path' }, pick(PATHS)] };
      case 8: return { '>=': [{ var: ['profile.visits', 0] }, int(1, 40)] };
      default: return { '>=': [{ var: ['profile.rfm.frequency', 0] }, int(1, 5)] };
    }
  }

  /** A rule of 1-4 conditions, sometimes reusing segments defined before it (no cycles). */
  function rule(segmentsSoFar) {
    const parts = Array.from({ length: int(1, 3) }, condition);
    if (segmentsSoFar > 0 && random() < 0.4) parts.push({ segment: `seg-${int(0, segmentsSoFar - 1)}` });
    return parts.length === 1 ? parts[0] : { [random() < 0.6 ? 'and' : 'or']: parts };
  }

  const segments = Array.from({ length: segmentCount }, (_, i) => ({ id: `seg-${i}`, when: rule(i) }));
  const content = {};
  const list = Array.from({ length: count }, (_, i) => {
    const id = `exp-${i}`;
    content[`${id}-a`] = { type: 'text', value: `Variant A of ${id}` };
    content[`${id}-b`] = { type: 'text', value: `Variant B of ${id}` };
    const experience = {
      id,
      slot: `slot-${i % slots}`,
      priority: int(0, 10),
      audience: { segment: `seg-${int(0, segmentCount - 1)}`, rule: rule(segmentCount) },
      variants: [{ id: 'a', content: `${id}-a` }, { id: 'b', content: `${id}-b` }],
      default: 'a',
    };
    if (i % 5 === 0) experience.experiment = { id: `test-${i}`, traffic: 0.8, holdout: 0.05 };
    if (i % 20 === 10) {
      content[`${id}-x`] = { type: 'text', value: 'x' };
      experience.experiment = { id: `mvt-${i}`, factors: [{ id: 'headline', levels: [{ id: 'h1', content: `${id}-a` }, { id: 'h2', content: `${id}-b` }] }, { id: 'button', levels: [{ id: 'x', content: `${id}-x` }, { id: 'y', content: `${id}-b` }] }] };
    }
    if (i % 7 === 0) experience.group = `group-${i % 3}`;
    if (i % 4 === 1) experience.cap = [{ count: int(1, 5), per: pick(['session', 'day', 'lifetime']) }];
    if (i % 10 === 3) experience.schedule = { start: '2026-11-01T00:00:00Z', end: '2026-12-31T00:00:00Z' };
    return experience;
  });
  const stages = [
    { id: 'aware', when: true },
    { id: 'considering', when: { '>=': [{ count: ['product_viewed', '30d'] }, 20] } },
    { id: 'buying', when: { '>=': [{ count: ['add_to_cart', '7d'] }, 2] } },
  ];
  return { schema: 'attune.bundle/1', id, version: 1, segments, stages, experiences: list, content };
}
