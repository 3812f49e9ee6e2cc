import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAttune } from '../../src/client/client.js';
import type { AttuneOptions } from '../../src/client/types.js';
import { databaseNames, fakeCollector, freshIndexedDB, memoryStorage } from '../support.js';

/** The page's side of Google Consent Mode: the standard snippet, `function gtag(){dataLayer.push(arguments);}`. */
const page = globalThis as { dataLayer?: unknown[]; gtag?: (...args: unknown[]) => void };

function gtag(..._args: unknown[]): void {
  // What Google's snippet pushes: the arguments object itself.
  page.dataLayer!.push(arguments);
}

/** What gtag() pushes for these arguments, without pushing it. */
function consentArguments(..._args: unknown[]): IArguments {
  return arguments;
}

/** `window.dataLayer = window.dataLayer || []; function gtag(){...}` then the given commands, before Attune starts. */
function snippet(...commands: Array<() => void>): void {
  page.dataLayer = page.dataLayer ?? [];
  page.gtag = gtag;
  for (const command of commands) command();
}

const DENIED = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', personalization_storage: 'denied' };
const GRANTED = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted', personalization_storage: 'granted' };

function start(options: AttuneOptions = {}) {
  const onError = vi.fn();
  const storage = memoryStorage();
  const collector = fakeCollector();
  const client = createAttune({ collectorUrl: 'https://c.test/collect', flushIntervalMs: 60_000, onError, environment: { storage, fetch: collector.fetch }, ...options });
  return { client, onError, storage, collector };
}

/** Resolves once the reader has loaded and read `dataLayer` (it has put its push in place). */
const readerStarted = () => vi.waitFor(() => expect(page.dataLayer!.push).not.toBe(Array.prototype.push));

beforeEach(() => freshIndexedDB());
afterEach(() => {
  delete page.dataLayer;
  delete page.gtag;
});

describe('the mapping', () => {
  it('grants analytics from analytics_storage and personalization from ad_personalization and personalization_storage', async () => {
    snippet(() => gtag('consent', 'default', DENIED), () => gtag('consent', 'update', GRANTED));
    const { client, onError } = start();
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' }));
    expect(onError).not.toHaveBeenCalled();
  });

  it('denies personalization when any of its Consent Mode types is denied', async () => {
    snippet(() => gtag('consent', 'update', { analytics_storage: 'granted', ad_personalization: 'granted', personalization_storage: 'denied' }));
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'denied' }));
  });

  it('follows ad_personalization alone on a page that never sets personalization_storage, and leaves unset purposes undecided', async () => {
    snippet(() => gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' }));
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'granted' }));
  });

  it('maps the site’s own purposes and other types with consentMode.purposes', async () => {
    snippet(() => gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'denied', personalization_storage: 'granted', analytics_storage: 'denied' }));
    const { client, onError } = start({
      purposes: ['ads'],
      consentMode: { purposes: { analytics: ['analytics_storage'], personalization: ['personalization_storage'], ads: ['ad_storage', 'ad_user_data'] } },
    });
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted', ads: 'granted' }));
    expect(onError).not.toHaveBeenCalled();
  });

  it('leaves dataLayer alone with consentMode: false', async () => {
    snippet(() => gtag('consent', 'update', GRANTED));
    const { client } = start({ consentMode: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(page.dataLayer!.push).toBe(Array.prototype.push);
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
  });
});

describe('the order of commands', () => {
  it('applies the defaults and updates already on dataLayer in the order the page issued them: the last update wins', async () => {
    snippet(
      () => gtag('consent', 'default', DENIED),
      () => gtag('consent', 'update', GRANTED),
      () => gtag('consent', 'update', { analytics_storage: 'denied' }),
    );
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' }));
  });

  it('keeps an update when a default comes after it', async () => {
    snippet(() => gtag('consent', 'update', GRANTED), () => gtag('consent', 'default', DENIED));
    const { client } = start();
    await readerStarted();
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' });
    gtag('consent', 'default', DENIED);
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' });
  });

  it('reads the commands pushed after it started, each at once', async () => {
    snippet(() => gtag('consent', 'default', DENIED));
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'denied' }));
    gtag('consent', 'update', { analytics_storage: 'granted' });
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'denied' });
    gtag('consent', 'update', { ad_personalization: 'granted', personalization_storage: 'granted' });
    gtag('consent', 'update', { analytics_storage: 'denied' });
    expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' });
  });

  it('counts a region-scoped default’s denial but not its grant', async () => {
    snippet(() => gtag('consent', 'default', { analytics_storage: 'granted', personalization_storage: 'granted', region: ['US'] }));
    const { client } = start();
    await readerStarted();
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
    gtag('consent', 'default', { analytics_storage: 'denied', region: ['FR', 'DE'] });
    expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'unknown' });
  });

  it('grants from a default without region, but never over an earlier default’s denial', async () => {
    snippet(() => gtag('consent', 'default', { analytics_storage: 'denied', region: ['FR'] }), () => gtag('consent', 'default', { analytics_storage: 'granted', ad_personalization: 'granted' }));
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' }));
  });
});

describe('timing', () => {
  it('keeps and sends nothing tracked before the reader applied a denied default, even from the pre-consent buffer', async () => {
    snippet(() => gtag('consent', 'default', DENIED));
    const { client, collector, storage } = start({ bufferBeforeConsent: 10 });
    client.track('before_reader'); // The reader is still loading: Attune is undecided.
    expect(client.getSnapshot().diagnostics.bufferedEvents).toBe(1);
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'denied' }));
    expect(client.getSnapshot().diagnostics.bufferedEvents).toBe(0);
    gtag('consent', 'update', GRANTED);
    client.track('after_update');
    await client.flush();
    expect(collector.events.map((event) => event.name)).toEqual(['after_update']);
    expect([...storage.entries.keys()]).not.toContain('attune.erasing.v1');
  });

  it('sends what was buffered before a granted default, like any grant', async () => {
    snippet(() => gtag('consent', 'default', { analytics_storage: 'granted' }));
    const { client, collector } = start({ bufferBeforeConsent: 10 });
    client.track('before_reader');
    await vi.waitFor(() => expect(client.consent.get().analytics).toBe('granted'));
    await vi.waitFor(async () => {
      await client.flush();
      expect(collector.events.map((event) => event.name)).toEqual(['before_reader']);
    });
  });
});

describe('precedence with Attune’s own decisions', () => {
  it('never lets a default override the visitor’s remembered grant: nothing is erased', async () => {
    const storage = memoryStorage();
    const first = createAttune({ consentMode: false, environment: { storage } });
    await first.consent.grant();
    first.track('viewed');
    await first.ready;
    first.destroy();

    snippet(() => gtag('consent', 'default', DENIED));
    const next = createAttune({ environment: { storage } });
    await readerStarted();
    await next.ready;
    expect(next.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' });
    expect(next.getSnapshot().profile.counters).toEqual({ viewed: 1 });
    expect(await databaseNames()).toContain('attune');
  });

  it('keeps an explicit grant made before the reader loaded over the page’s defaults', async () => {
    snippet(() => gtag('consent', 'default', DENIED));
    const { client } = start();
    void client.consent.grant('personalization');
    await readerStarted();
    expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' });
  });

  it('applies the latest decision, whichever side made it', async () => {
    snippet(() => gtag('consent', 'default', DENIED), () => gtag('consent', 'update', GRANTED));
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get().analytics).toBe('granted'));
    await client.consent.deny('analytics');
    expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'granted' });
    gtag('consent', 'update', { analytics_storage: 'granted' });
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'granted' });
    // An update that decides nothing Attune maps leaves the explicit decision alone.
    await client.consent.deny('analytics');
    gtag('consent', 'update', { ad_storage: 'granted', ad_user_data: 'granted' });
    expect(client.consent.get().analytics).toBe('denied');
  });
});

describe('a page whose dataLayer holds other things', () => {
  it('ignores events, other gtag commands, objects and arrays, and warns about none of them', async () => {
    snippet(
      () => page.dataLayer!.push({ 'gtm.start': 1, event: 'gtm.js' }),
      () => gtag('js', new Date()),
      () => gtag('config', 'G-TEST123', { send_page_view: false }),
      () => gtag('set', 'ads_data_redaction', true),
      // Not a gtag command (Google's tag ignores an array too): no grant from it.
      () => page.dataLayer!.push(['consent', 'update', GRANTED]),
      () => page.dataLayer!.push('text', 42, null, undefined),
      () => gtag('event', 'purchase', { value: 10, analytics_storage: 'granted' }),
    );
    const { client, onError } = start();
    await readerStarted();
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
    page.dataLayer!.push({ event: 'add_to_cart' }, ['consent', 'default', GRANTED]);
    gtag('consent', 'update', { analytics_storage: 'granted' });
    expect(client.consent.get()).toEqual({ analytics: 'granted', personalization: 'unknown' });
    expect(onError).not.toHaveBeenCalled();
  });

  it('keeps the page’s own push and its result, and keeps reading when Google’s tag wraps push later', async () => {
    snippet(() => gtag('consent', 'default', DENIED));
    const seenByPage: unknown[] = [];
    const layer = page.dataLayer!;
    layer.push = function (this: unknown[], ...items: unknown[]): number {
      seenByPage.push(...items);
      return Array.prototype.push.apply(this, items) + 1000;
    };
    const { client } = start();
    await vi.waitFor(() => expect(client.consent.get().analytics).toBe('denied'));
    expect(layer.push({ event: 'one' })).toBe(layer.length + 1000);

    // What Google's tag does when it loads (its data layer helper): wraps the push it finds.
    const seenByGoogle: unknown[] = [];
    const found = layer.push;
    layer.push = function (...states: unknown[]): number {
      const result = found.apply(layer, states);
      seenByGoogle.push(...states);
      return result;
    };
    gtag('consent', 'update', { analytics_storage: 'granted' });
    expect(client.consent.get().analytics).toBe('granted');
    expect(seenByGoogle).toHaveLength(1);
    expect(seenByPage).toHaveLength(2); // The event and the update (the default came before this push), each once.
    expect(layer.filter((item) => (item as { event?: string }).event === 'one')).toHaveLength(1);
  });
});

describe('malformed commands', () => {
  it('warns about a consent command it cannot read, never throws into the page, and reads the next one', async () => {
    snippet();
    const { client, onError } = start();
    await readerStarted();
    const hostile = Object.defineProperty({}, 'analytics_storage', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => {
      gtag('consent', 'deny', GRANTED);
      gtag('consent', 'update');
      gtag('consent', 'update', 'granted');
      gtag('consent', 'update', { analytics_storage: 'yes', ad_personalization: true });
      gtag('consent', 'update', hostile);
    }).not.toThrow();
    expect(client.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
    expect(onError.mock.calls.map(([error]) => [error.code, error.message])).toEqual([
      ['consent-invalid', "Google Consent Mode: gtag('consent', 'deny') is not 'default' or 'update' with an object; ignored."],
      ['consent-invalid', "Google Consent Mode: gtag('consent', 'update') is not 'default' or 'update' with an object; ignored."],
      ['consent-invalid', "Google Consent Mode: gtag('consent', 'update') is not 'default' or 'update' with an object; ignored."],
      // A word that is not granted or denied is reported; a value of another type (a boolean) is skipped.
      ['consent-invalid', "Google Consent Mode: analytics_storage: 'yes' is not 'granted' or 'denied'; ignored."],
      ['consent-invalid', 'Google Consent Mode: Error: boom; ignored.'],
    ]);
    gtag('consent', 'update', { analytics_storage: 'granted' });
    expect(client.consent.get().analytics).toBe('granted');
  });

  it('keeps a throwing onError out of the page’s push', async () => {
    snippet();
    const { client } = start({
      onError: () => {
        throw new Error('the site’s own handler failed');
      },
    });
    await readerStarted();
    const length = page.dataLayer!.length;
    let result: unknown;
    expect(() => (result = page.dataLayer!.push(consentArguments('consent', 'update', { analytics_storage: 'maybe' })))).not.toThrow();
    expect(result).toBe(length + 1);
    expect(client.consent.get().analytics).toBe('unknown');
  });
});

describe('withdrawal through an update', () => {
  it('erases like any withdrawal: the database, the queue and the stored grant are gone, and nothing collected before is sent', async () => {
    snippet(() => gtag('consent', 'default', DENIED));
    const { client, collector, storage } = start();
    await vi.waitFor(() => expect(client.consent.get().analytics).toBe('denied'));
    gtag('consent', 'update', GRANTED);
    client.track('before_withdrawal');
    await vi.waitFor(async () => expect(await databaseNames()).toContain('attune'));
    await vi.waitFor(() => expect(client.getSnapshot().profile.counters).toEqual({ before_withdrawal: 1 }));

    gtag('consent', 'update', DENIED);
    expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'denied' });
    await vi.waitFor(async () => expect(await databaseNames()).not.toContain('attune'));
    expect(storage.entries.size).toBe(0);
    expect(client.getSnapshot().profile).toMatchObject({ anonymousId: null, counters: {} });
    client.track('after_withdrawal');
    await client.flush();
    expect(collector.events).toEqual([]);
  });

  it('tells the site’s other tabs of an update, but keeps a default to this page: nothing is written or deleted for it', async () => {
    const storage = memoryStorage();
    const otherTab = createAttune({ consentMode: false, environment: { storage } });
    snippet(() => gtag('consent', 'default', DENIED));
    const client = createAttune({ environment: { storage } });
    await vi.waitFor(() => expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'denied' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otherTab.consent.get()).toEqual({ analytics: 'unknown', personalization: 'unknown' });
    expect(storage.entries.size).toBe(0); // Not even the mark of a pending erasure.

    gtag('consent', 'update', { analytics_storage: 'granted' });
    await vi.waitFor(() => expect(otherTab.consent.get().analytics).toBe('granted'));
  });
});

it('stops reading when the client is destroyed; the page’s pushes still work', async () => {
  snippet(() => gtag('consent', 'default', DENIED));
  const { client } = start();
  await vi.waitFor(() => expect(client.consent.get().analytics).toBe('denied'));
  client.destroy();
  const before = page.dataLayer!.length;
  expect(page.dataLayer!.push({ event: 'after_destroy' })).toBe(before + 1);
  gtag('consent', 'update', GRANTED);
  expect(client.consent.get()).toEqual({ analytics: 'denied', personalization: 'denied' });
});
