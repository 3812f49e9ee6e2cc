import type { AttuneClient } from './types.js';
import { ID_COOKIE } from '../server/server-decisions.js';

export interface IdCookieOptions {
  /** Default `attune_id`. */
  name?: string;
  /** How long the cookie lasts, renewed on every page. Default 180 days. */
  maxAgeDays?: number;
  /** Share it with subdomains (e.g. `example.com`). Default: this host only. */
  domain?: string;
}

/**
 * Keeps a first-party cookie holding the visitor's anonymous id while personalization is granted
 * (SameSite=Lax, path /, Secure on HTTPS), so a server can decide experiments and know the visitor
 * consented (see `createServerDecider`). Nothing is written before a grant; the cookie is removed
 * when personalization is withdrawn or denied, and follows a new id after `reset()`. Opt-in; returns
 * a function that stops keeping it (the cookie stays as it is).
 */
export function syncIdCookie(client: AttuneClient, options: IdCookieOptions = {}): () => void {
  if (typeof document === 'undefined') return () => {};
  const name = options.name ?? ID_COOKIE;
  const attributes = `; Path=/; SameSite=Lax${options.domain ? '; Domain=' + options.domain : ''}${location.protocol === 'https:' ? '; Secure' : ''}; Max-Age=`;
  /** The id the cookie holds, as far as this page knows ('' none). */
  let held = document.cookie.split('; ').some((pair) => pair.startsWith(name + '=')) ? null : '';
  const sync = (): void => {
    const { consent, profile } = client.getSnapshot();
    const id = (consent.personalization === 'granted' && profile.anonymousId) || '';
    if (id === held) return;
    held = id;
    document.cookie = `${name}=${encodeURIComponent(id)}${attributes}${id ? Math.round((options.maxAgeDays ?? 180) * 86400) : 0}`;
  };
  sync();
  return client.subscribe(sync);
}
