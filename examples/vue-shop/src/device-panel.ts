import type { Decision } from '@attune/core';
import { useAttune, useConsent, useDecision, useProfile } from '@attune/vue';
import { defineComponent, h } from 'vue';

const describe = (decision: Decision): string =>
  decision.reason + (decision.experience ? ` (${decision.experience} / ${decision.experiment?.variant ?? decision.variant})` : '');

/** What Attune knows on this device: read with the composables, updated only when it changes. */
export const DevicePanel = defineComponent({
  setup() {
    const attune = useAttune();
    const consent = useConsent();
    const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
    const favourite = useProfile((profile) => profile.top.category?.[0] ?? '—');
    // Read for display only: the slots themselves report what is shown.
    const hero = useDecision('home.hero', { exposure: false });
    const cta = useDecision('home.cta', { exposure: false });
    return () =>
      h('section', { class: 'panel', 'aria-label': 'What Attune knows' }, [
        h('h2', 'On this device'),
        h('p', 'View three products, then reload: the headline is decided in your browser from your local profile.'),
        h('dl', [
          h('dt', 'Consent'),
          h('dd', { id: 'consent-state' }, `analytics: ${consent.value.analytics}, personalization: ${consent.value.personalization}`),
          h('dt', 'Products viewed'),
          h('dd', { id: 'views' }, String(views.value)),
          h('dt', 'Favourite category'),
          h('dd', { id: 'top-category' }, favourite.value),
          h('dt', 'Headline decision'),
          h('dd', { id: 'decision' }, describe(hero.value.decision)),
          h('dt', 'A/B test cta-test'),
          h('dd', { id: 'cta-decision' }, describe(cta.value.decision)),
        ]),
        h('button', { id: 'withdraw', type: 'button', onClick: () => attune?.consent.withdraw() }, 'Withdraw consent and erase my data'),
      ]);
  },
});
