import type { SlotView } from '@attune/core';
import { defineComponent, h, shallowRef } from 'vue';
import { reportShown } from './exposure.js';
import { attuneContext } from './plugin.js';
import { slotView } from './slot-view.js';

/** The personalized text a view shows (matched or forced text content, not pending), else undefined: the slot's default. */
export function personalizedText({ decision, pending }: SlotView): string | undefined {
  const { content, reason } = decision;
  return !pending && (reason === 'matched' || reason === 'forced') && content?.type === 'text' ? content.value : undefined;
}

/**
 * Renders a slot: `<AttuneSlot name="home.hero" as="h1">Welcome</AttuneSlot>` shows the slot's
 * personalized content as text (never markup), else its default slot. While its decision may still
 * change it is rendered hidden (`visibility: hidden` and `data-attune-pending` on this element
 * only), at most `pendingTimeoutMs`. `data-attune-reason` says why it shows what it shows; what
 * it shows is reported as the script tag does (personalized content, or a holdout's default).
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
    const view = slotView(context, () => props.name);
    reportShown(context, view, (shown) => shown.decision.reason === 'holdout' || personalizedText(shown) !== undefined, element);
    return () => {
      const { decision, pending } = view.value;
      return h(
        props.as,
        {
          ref: element,
          'data-attune-slot': props.name,
          // No style attribute at all unless pending (a server render would write style="").
          ...(pending ? { 'data-attune-pending': '', style: 'visibility:hidden' } : { 'data-attune-reason': decision.reason }),
        },
        personalizedText(view.value) ?? slots.default?.(),
      );
    };
  },
});
