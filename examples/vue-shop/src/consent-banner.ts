import { useAttune, useConsent } from '@attune/vue';
import { computed, defineComponent, h, onMounted, shallowRef } from 'vue';

/**
 * Asks for consent until the visitor decides; nothing is stored or sent before. Rendered in the
 * browser only: a server cannot tell a visitor who declined from a new one.
 */
export const ConsentBanner = defineComponent({
  setup() {
    const attune = useAttune();
    const consent = useConsent();
    const mounted = shallowRef(false);
    onMounted(() => (mounted.value = true));
    const undecided = computed(() => consent.value.analytics === 'unknown' && consent.value.personalization === 'unknown');
    return () =>
      mounted.value &&
      undecided.value &&
      h('aside', { class: 'banner', 'aria-label': 'Consent' }, [
        h('p', 'We personalize this shop on your device. Allow analytics and personalization?'),
        h('button', { id: 'accept', type: 'button', onClick: () => attune?.consent.grant(['analytics', 'personalization']) }, 'Accept'),
        h('button', { type: 'button', onClick: () => attune?.consent.deny() }, 'Decline'),
      ]);
  },
});
