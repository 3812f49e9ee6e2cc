import { AttuneError, createAttune, type AttuneClient, type AttuneOptions } from '@attune/core';
import { inject, type InjectionKey, type Plugin } from 'vue';
import type { InitialDecisions } from './initial-decisions.js';

/** How the wrapper renders slots; the same for every component of the app. */
export interface AttuneVueSettings {
  /**
   * How long a slot whose decision may still change (a returning, consented visitor whose bundle
   * or stored profile is still loading) stays hidden before its default shows; the default then
   * stays while the slot is mounted. Default 300 ms.
   */
  pendingTimeoutMs?: number;
  /**
   * When a decision counts as shown (`client.shown`): `'mounted'` (default) once its content is
   * in the DOM, `'visible'` once at least half of the slot's element is in view (IntersectionObserver).
   */
  exposure?: 'mounted' | 'visible';
  /**
   * Server rendering: on the server, the decisions to render with (see `renderedDecisions`); in
   * the browser, what the server rendered (serialized into the page), used by the first render
   * (hydration) so the HTML matches.
   */
  decisions?: InitialDecisions;
}

/**
 * The plugin's configuration: a client you created (`{ client }`), or the options to create one
 * with (created in the browser only: a server render has no client).
 */
export type AttunePluginConfig = AttuneVueSettings & ({ client: AttuneClient } | (AttuneOptions & { client?: undefined }));

/** What every composable of one app reads. */
export interface AttuneContext {
  /** Undefined during a server render. */
  readonly client: AttuneClient | undefined;
  readonly timeoutMs: number;
  readonly visible: boolean;
  /** The server's decisions: for the server render, and in the browser until the first mount (hydration). */
  initial: InitialDecisions | undefined;
}

const ATTUNE: InjectionKey<AttuneContext> = Symbol('attune');

/**
 * The Vue plugin: `app.use(createAttunePlugin({ client }))` or
 * `app.use(createAttunePlugin({ bundleUrl, collectorUrl }))`. Provides the client to
 * `useAttune`, `useDecision`, `useConsent`, `useProfile` and `AttuneSlot`.
 */
export function createAttunePlugin(config: AttunePluginConfig): Plugin {
  return {
    install(app) {
      const { client, pendingTimeoutMs, exposure, decisions, ...options } = config;
      app.provide(ATTUNE, {
        client: client ?? (typeof window === 'undefined' ? undefined : createAttune(options)),
        timeoutMs: pendingTimeoutMs ?? 300,
        visible: exposure === 'visible',
        initial: decisions,
      });
    },
  };
}

/** The app's Attune context; a clear error when the plugin is missing (or outside setup()). */
export function attuneContext(caller: string): AttuneContext {
  const context = inject(ATTUNE, undefined);
  if (context) return context;
  throw new AttuneError('argument-invalid', `${caller} needs the Attune plugin: call app.use(createAttunePlugin({ client })) before app.mount(), and use it inside setup().`);
}
