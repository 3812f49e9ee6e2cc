import type { AttuneClient, Purpose } from '@attune/core';
import { openPreviewPart } from './load-parts.js';

/**
 * The tag's command API, usable before the script has loaded through the snippet's queue:
 *   attune('consent', 'grant', ['analytics', 'personalization'])
 *   attune('consent', 'deny')
 *   attune('track', 'product_viewed', { sku: 'A1' })
 *   attune('page')
 *   attune('identify', 'user-42', { plan: 'pro' })
 *   attune('alias', 'user-42')
 *   attune('reset')                       // logout: a fresh anonymous profile
 *   attune('hydrate', { segments: ['vip'] })
 *   attune('force', 'hero-test', 'reminder')  // QA: serve a variant (null removes it)
 *   attune('flush')
 *   attune('preview')                     // QA: opens the preview overlay (like ?attune_debug=1)
 *   attune('ready', (client) => { ... })
 */
export type Command = [name: string, ...args: unknown[]];

export function runCommand(client: AttuneClient, [name, ...args]: Command): void {
  switch (name) {
    case 'consent': {
      const [action, purposes] = args as [string, Purpose[] | undefined];
      if (action === 'grant') void client.consent.grant(purposes);
      else if (action === 'deny') void client.consent.deny(purposes);
      else console.warn(`[attune] unknown consent action "${String(action)}": use 'grant' or 'deny'.`);
      return;
    }
    case 'track':
      client.track(args[0] as string, args[1] as Record<string, unknown> | undefined);
      return;
    case 'page':
      client.page(args[0] as Record<string, unknown> | undefined);
      return;
    case 'identify':
      client.identify(args[0] as string, args[1] as Record<string, unknown> | undefined);
      return;
    case 'alias':
      client.alias(args[0] as string);
      return;
    case 'reset':
      client.reset();
      return;
    case 'hydrate':
      client.hydrate(args[0]);
      return;
    case 'force':
      // The client checks the arguments (two strings; null clears) and reports anything else.
      client.force(args[0] as string, (args[1] ?? null) as string | null);
      return;
    case 'flush':
      void client.flush().catch(() => undefined); // Failures are reported through onError.
      return;
    case 'preview':
      openPreviewPart(client);
      return;
    case 'ready': {
      const callback = args[0];
      if (typeof callback === 'function') void client.ready.then(() => callback(client));
      return;
    }
    default:
      console.warn(`[attune] unknown command "${String(name)}": use consent, track, page, identify, alias, reset, hydrate, force, flush, preview or ready.`);
  }
}
