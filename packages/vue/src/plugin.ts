import {
  AttuneError,
  createAttune,
  createSlotViews,
  EMPTY_PROFILE,
  syncIdCookie,
  type AttuneClient,
  type AttuneOptions,
  type AttuneSnapshot,
  type IdCookieOptions,
  type ServerDecisions,
  type SlotViews,
} from '@attune/core';
import { inject, onMounted, type InjectionKey, type Plugin } from 'vue';

/** How the wrapper renders slots; the same for every component of the app. */
export interface AttuneVueSettings {
  /**
   * A slot whose decision may still change (a returning, consented visitor whose bundle or stored
   * profile is still loading) is hidden at most this long after the plugin starts; then it shows
   * its default, for the rest of the page view. Default 300 ms.
   */
  pendingTimeoutMs?: number;
  /**
   * When a decision counts as shown (`client.shown`): `'mounted'` (default) once its content is
   * in the DOM, `'visible'` once the slot's element has scrolled into view (IntersectionObserver).
   */
  exposure?: 'mounted' | 'visible';
  /**
   * Server rendering: what the server decided (`createServerDecider(bundle).decide(request)` from
   * `@attune/core/server`), given to the server's app and, serialized into the page, to the
   * browser's: hydration renders exactly that.
   */
  serverDecisions?: ServerDecisions | null;
  /** Keep the anonymous id in a first-party cookie while personalization is granted, for server rendering (see `syncIdCookie`). Default false. */
  idCookie?: boolean | IdCookieOptions;
}

/**
 * The plugin's configuration: a client you created (`{ client }`), or the options to create one
 * with (created in the browser only: a server render has no client).
 */
export type AttunePluginConfig = AttuneVueSettings & ({ client: AttuneClient } | (AttuneOptions & { client?: undefined }));

/** What every composable and slot of one app reads. */
export interface AttuneContext {
  /** Undefined during a server render. */
  readonly client: AttuneClient | undefined;
  readonly views: SlotViews;
  readonly visible: boolean;
  /** What a server render and the hydration read: consent as the server knew it, an empty profile. */
  readonly server: Pick<AttuneSnapshot, 'consent' | 'profile'>;
  /** In the browser, until the first component mounts: the server's HTML is being hydrated. */
  hydrating: boolean;
}

const ATTUNE: InjectionKey<AttuneContext> = Symbol('attune');

/**
 * The Vue plugin: `app.use(createAttunePlugin({ client }))` or
 * `app.use(createAttunePlugin({ bundleUrl, collectorUrl }))`. Gives the client and the slots'
 * no-flicker rendering to `useAttune`, `useDecision`, `useConsent`, `useProfile` and `AttuneSlot`.
 */
export function createAttunePlugin(config: AttunePluginConfig): Plugin {
  return {
    install(app) {
      const { client: given, pendingTimeoutMs, exposure, serverDecisions, idCookie, ...options } = config;
      const client = typeof window === 'undefined' ? undefined : given ?? createAttune(options);
      if (client && idCookie) syncIdCookie(client, idCookie === true ? {} : idCookie);
      const views = createSlotViews(client, { serverDecisions, pendingTimeoutMs });
      app.provide(ATTUNE, {
        client,
        views,
        visible: exposure === 'visible',
        server: { consent: { analytics: 'unknown', personalization: serverDecisions?.consented ? 'granted' : 'unknown' }, profile: EMPTY_PROFILE },
        hydrating: Boolean(client && serverDecisions),
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

/** Runs `update` once the hydration is over (the first mount): from then on, the browser's state renders. */
export function afterHydration(context: AttuneContext, update: () => void): void {
  if (context.hydrating)
    onMounted(() => {
      context.hydrating = false;
      update();
    });
}
