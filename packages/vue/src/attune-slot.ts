import type { Decision } from '@attune/core';
import { defineComponent, h, shallowRef } from 'vue';
import { reportShown } from './exposure.js';
import { attuneContext } from './plugin.js';
import { slotState } from './slot-state.js';

/** The personalized text a decision shows (matched or forced text content), else undefined: the slot's default. */
export const personalizedText = (decision: Decision): string | undefined =>
  (decision.reason === 'matched' || decision.reason === 'forced') && decision.content?.type === 'text' ? decision.content.value : undefined;

/**
 * Renders a slot: `<AttuneSlot name="home.hero" as="h1">Welcome</AttuneSlot>` shows the slot's
 * personalized content as text (never markup), else its default slot. While its decision may still
 * change it is rendered hidden (`visibility: hidden` and `data-attune-pending` on this element
 * only), at most `pendingTimeoutMs`. `data-attune-reason` says why it shows what it shows.
 */
export const AttuneSlot = defineComponent({
  name: 'AttuneSlot',
  props: {
    /** The slot's name in the bundle. */
    name: { type: String, required: true },
    /** The element to render. Default `div`. */
    as: { type: String, default: 'div' },
  },
  setup(props, { slots }) {
    const context = attuneContext('<AttuneSlot>');
    const element = shallowRef<Element>();
    const state = slotState(context, () => props.name);
    reportShown(context, state.decision, (decision) => decision.reason === 'holdout' || personalizedText(decision) !== undefined, element);
    return () => {
      const pending = state.pending.value;
      const decision = state.decision.value;
      return h(
        props.as,
        {
          ref: element,
          'data-attune-slot': props.name,
          'data-attune-reason': pending ? undefined : decision.reason,
          'data-attune-pending': pending ? '' : undefined,
          style: pending ? 'visibility:hidden' : undefined,
        },
        personalizedText(decision) ?? slots.default?.(),
      );
    };
  },
});
