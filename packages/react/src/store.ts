'use client';
import type { AttuneClient, ConsentState, ProfileSnapshot, SlotViews } from '@attune/core';
import { createContext, useContext } from 'react';

/** What the provider shares with every hook and slot of its tree. */
export interface AttuneStore {
  /** The browser's client; undefined while rendering on a server. */
  readonly client: AttuneClient | undefined;
  readonly views: SlotViews;
  /** Exposure once on screen (`commit`) or once scrolled into view too (`visible`). */
  readonly exposure: 'commit' | 'visible';
  /** What a server render (and hydration) reads: consent as the server knew it, an empty profile. */
  readonly serverConsent: Readonly<ConsentState>;
  readonly serverProfile: ProfileSnapshot;
  subscribe(listener: () => void): () => void;
}

export const AttuneContext = createContext<AttuneStore | null>(null);

/** The provider's store; a clear error outside one. */
export function useStore(hook: string): AttuneStore {
  const store = useContext(AttuneContext);
  if (store === null) {
    throw new Error(`[attune] ${hook} must be used inside <AttuneProvider>: wrap your app (or this part of it) in <AttuneProvider options={{ bundleUrl: '/bundle.json' }}> from @attune/react.`);
  }
  return store;
}
