import { useAttune, useConsent } from '@attune/vue';
import { computed, defineComponent, h } from 'vue';

/** Asks for consent until the visitor decides; nothing is stored or sent before. */
export const ConsentBanner = defineComponent({
  setup() {
    const attune = useAttune();
    const consent = useConsent();
    const undecided = computed(() => consent.value.analytics === 'unknown' && consent.value.personalization === 'unknown');
    return () =>
      undecided.value &&
      h('aside', { class: 'banner', 'aria-label': 'Consent' }, [
        h('p', 'We personalize this shop on your device. Allow analytics and personalization?'),
        h('button', { id: 'accept', type: 'button', onClick: () => attune?.consent.grant(['analytics', 'personalization']) }, 'Accept'),
        h('button', { type: 'button', onClick: () => attune?.consent.deny() }, 'Decline'),
      ]);
  },
});
