'use client';
import { createAttune, createSlotViews, EMPTY_PROFILE, syncIdCookie, type AttuneClient, type AttuneOptions, type IdCookieOptions, type ServerDecisions } from '@attune/core';
import { useEffect, useState, type ReactNode } from 'react';
import { AttuneContext, type AttuneStore } from './store.js';

export interface AttuneProviderProps {
  /** The client to use (created in the browser), or… */
  client?: AttuneClient;
  /** …options to create one: the provider creates it in the browser only (never on a server) and destroys it when it unmounts. */
  options?: AttuneOptions;
  /** What the server decided (`createServerDecider` from `@attune/core/server`): hydration renders exactly that. */
  serverDecisions?: ServerDecisions | null;
  /** Keep the anonymous id in a first-party cookie while personalization is granted, for server rendering (see `syncIdCookie`). Default false. */
  idCookie?: boolean | IdCookieOptions;
  /** A slot still pending this long after the provider starts shows its default, for the rest of the page view. Default 300. */
  pendingTimeoutMs?: number;
  /** `visible`: report exposures once the slot has scrolled into view, not only rendered. Default `commit`. */
  exposure?: 'commit' | 'visible';
  children?: ReactNode;
}

/** Clients made from options, one per options object (Strict Mode runs the state initializer twice). */
const made = new WeakMap<AttuneOptions, AttuneClient>();
/** Mounted providers using each client made from options. */
const users = new WeakMap<AttuneClient, number>();

/** Gives its tree an Attune client and the slots' no-flicker rendering (docs/react.md "React"). */
export function AttuneProvider(props: AttuneProviderProps): ReactNode {
  const [store] = useState((): AttuneStore => {
    const { options, serverDecisions } = props;
    let client = props.client;
    if (typeof window === 'undefined') client = undefined;
    else if (!client && options) {
      client = made.get(options) ?? createAttune(options);
      made.set(options, client);
    }
    return {
      client,
      views: createSlotViews(client, { serverDecisions, pendingTimeoutMs: props.pendingTimeoutMs }),
      exposure: props.exposure ?? 'commit',
      serverConsent: { analytics: 'unknown', personalization: serverDecisions?.consented ? 'granted' : 'unknown' },
      serverProfile: EMPTY_PROFILE,
      subscribe: (listener) => (client ? client.subscribe(listener) : () => {}),
    };
  });
  const { client } = store;
  const owned = !props.client && client;
  const idCookie = props.idCookie;

  // The cookie follows consent from then on; its options are read when the client is.
  useEffect(() => (client && idCookie ? syncIdCookie(client, idCookie === true ? {} : idCookie) : undefined), [client, Boolean(idCookie)]);
  useEffect(() => {
    if (!owned) return;
    users.set(owned, (users.get(owned) ?? 0) + 1);
    return () => {
      users.set(owned, users.get(owned)! - 1);
      // Strict Mode unmounts and mounts again at once: a client nobody uses a task later is destroyed.
      setTimeout(() => {
        if (users.get(owned) !== 0) return;
        made.delete(props.options!);
        owned.destroy();
      });
    };
  }, [owned]);

  return <AttuneContext.Provider value={store}>{props.children}</AttuneContext.Provider>;
}
