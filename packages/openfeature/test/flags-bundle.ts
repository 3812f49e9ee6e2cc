import { logisticModel } from '../../core/test/models/small-models.js';

const text = (value: string) => ({ type: 'text', value });
const json = (value: unknown) => ({ type: 'json', value });
/** An experience that shows `content` to everyone on `slot`. */
const always = (slot: string, content: string) => ({ id: slot, slot, variants: [{ id: 'on', content }] });

/**
 * A bundle whose slots exercise every mapping of the provider: targeting, experiments (one on user
 * ids, one holding everyone out), contents of each type, and a rule that fails at run time.
 */
export const flagsBundle = {
  schema: 'attune.bundle/1',
  id: 'flags',
  version: 1,
  segments: [{ id: 'engaged', when: { '>=': [{ var: ['profile.counters.product_viewed', 0] }, 3] } }],
  // Two features and one weight: it cannot score, so rules reading it fail at run time.
  models: [logisticModel({ weights: [1] })],
  experiences: [
    {
      id: 'hero-engaged',
      slot: 'home.hero',
      audience: { segment: 'engaged' },
      variants: [
        { id: 'default', content: 'hero-default' },
        { id: 'engaged', content: 'hero-engaged' },
      ],
      default: 'default',
    },
    // No default variant: visitors outside the audience get no content at all.
    { id: 'pro-banner', slot: 'banner', audience: { rule: { '==': [{ var: 'profile.traits.plan' }, 'pro'] } }, variants: [{ id: 'pro', content: 'banner-pro' }] },
    // Pro users get their own checkout call to action, before the experiment.
    {
      id: 'cta-pro',
      slot: 'checkout.cta',
      priority: 10,
      audience: { rule: { '==': [{ var: 'profile.traits.plan' }, 'pro'] } },
      variants: [{ id: 'pro', content: 'cta-pro' }],
    },
    // The README's assignment example (experiment "checkout-cta" on user ids): user-2 is assigned "b".
    {
      id: 'cta-copy',
      slot: 'checkout.cta',
      experiment: { id: 'checkout-cta', unit: 'userId', holdout: 0.05 },
      variants: [
        { id: 'a', weight: 50, content: 'cta-a' },
        { id: 'b', weight: 30, content: 'cta-b' },
        { id: 'c', weight: 20, content: 'cta-c' },
      ],
      default: 'a',
    },
    {
      id: 'footer-copy',
      slot: 'footer',
      experiment: { id: 'footer-test', holdout: 1 },
      variants: [
        { id: 'control', content: 'footer-control' },
        { id: 'new', content: 'footer-new' },
      ],
      default: 'control',
    },
    { id: 'likely-buyer', slot: 'offer', audience: { rule: { '>=': [{ score: 'buy-propensity' }, 0.5] } }, variants: [{ id: 'offer', content: 'offer' }] },
    always('flags.new-checkout', 'text-true'),
    always('flags.dark-mode', 'json-false'),
    always('flags.max-items', 'text-number'),
    always('flags.discount', 'json-number'),
    always('flags.hex', 'text-hex'),
    always('home.picks', 'picks'),
  ],
  content: {
    'hero-default': text('Welcome'),
    'hero-engaged': text('Welcome back!'),
    'banner-pro': text('Pro tips'),
    'cta-pro': text('Your pro checkout'),
    'cta-a': text('Buy now'),
    'cta-b': text('Complete your order'),
    'cta-c': text('Checkout'),
    'footer-control': text('Thanks for visiting'),
    'footer-new': text('See you soon'),
    offer: text('10% off today'),
    'text-true': text('true'),
    'json-false': json(false),
    'text-number': text(' 12.5 '),
    'json-number': json(10),
    'text-hex': text('0x10'),
    picks: json({ skus: ['A1', 'B7'] }),
  },
};
