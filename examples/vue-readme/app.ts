import { AttuneSlot, personalizedText, useAttune, useConsent, useDecision, useProfile } from '@attune/vue';
import { defineComponent, h } from 'vue';

export const App = defineComponent({
  setup() {
    const attune = useAttune(); // The client (undefined during a server render).
    const consent = useConsent(); // Read-only refs: the component updates only when they change.
    const views = useProfile((profile) => profile.counters.product_viewed ?? 0);
    const cta = useDecision('home.cta'); // { decision, pending }, reported as shown once mounted.
    return () => [
      // The personalized text, else the default slot; hidden (this element only) while pending.
      h(AttuneSlot, { name: 'home.hero', as: 'h1' }, () => 'Welcome to Attune Outfitters'),
      h('p', cta.value.pending ? { style: 'visibility:hidden' } : {}, personalizedText(cta.value) ?? 'Free returns within 30 days.'),
      h('p', `Products viewed: ${views.value}`),
      consent.value.personalization === 'unknown' && h('button', { onClick: () => attune?.consent.grant() }, 'Accept'),
      h('button', { onClick: () => attune?.track('product_viewed', { sku: 'JKT-1' }) }, 'View product'),
    ];
  },
});
