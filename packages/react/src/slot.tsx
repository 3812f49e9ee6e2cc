'use client';
import { createElement, useRef, type CSSProperties, type HTMLAttributes, type JSX, type ReactNode } from 'react';
import { useShown, useSlotView } from './hooks.js';
import { useStore } from './store.js';

export interface AttuneSlotProps extends HTMLAttributes<HTMLElement> {
  /** The slot's name in the bundle. */
  name: string;
  /** The element to render. Default `span`. */
  as?: keyof JSX.IntrinsicElements;
  /** The default content: shown unless the slot's decision serves text. */
  children?: ReactNode;
}

const HIDDEN: CSSProperties = { visibility: 'hidden' };

/**
 * Renders a slot: its personalized content as text (never markup), else its children (the
 * default). While its decision is pending it renders the default hidden (`visibility: hidden` and
 * `data-attune-pending`, on this element only), at most the provider's `pendingTimeoutMs`. Carries
 * `data-attune-slot` and `data-attune-reason` (`timeout` for a default shown at the timeout);
 * reports what it shows as the tag does.
 */
export function AttuneSlot({ name, as = 'span', children, style, ...rest }: AttuneSlotProps): ReactNode {
  const store = useStore('<AttuneSlot>');
  const view = useSlotView(store, name);
  const element = useRef<HTMLElement>(null);
  const { decision, pending, timedOut } = view;
  const content = decision.content;
  const text = !pending && (decision.reason === 'matched' || decision.reason === 'forced') && content?.type === 'text' ? content.value : undefined;
  useShown(store, view, element, text !== undefined || decision.reason === 'holdout');
  return createElement(
    as,
    {
      ...rest,
      ref: element,
      style: pending ? { ...style, ...HIDDEN } : style,
      'data-attune-slot': name,
      'data-attune-pending': pending ? '' : undefined,
      'data-attune-reason': pending ? undefined : timedOut ? 'timeout' : decision.reason,
    },
    text ?? children,
  );
}
