/** A small valid bundle: a segment-based hero and a context-based promo. */
export function shopBundle(overrides: Record<string, unknown> = {}) {
  return {
    schema: 'attune.bundle/1',
    id: 'shop',
    version: '1',
    segments: [{ id: 'engaged', when: { '>=': [{ var: ['profile.counters.product_viewed', 0] }, 3] } }],
    experiences: [
      {
        id: 'hero-engaged',
        slot: 'home.hero',
        priority: 10,
        audience: { segment: 'engaged' },
        variants: [
          { id: 'default', content: 'hero-default' },
          { id: 'engaged', content: 'hero-engaged' },
        ],
        default: 'default',
      },
      {
        id: 'promo-newsletter',
        slot: 'home.promo',
        audience: { rule: { '==': [{ var: 'context.campaign.source' }, 'newsletter'] } },
        variants: [{ id: 'newsletter', content: 'promo-newsletter' }],
      },
    ],
    content: {
      'hero-default': { type: 'text', value: 'Welcome' },
      'hero-engaged': { type: 'text', value: 'Welcome back' },
      'promo-newsletter': { type: 'text', value: '10% off' },
    },
    ...overrides,
  };
}
