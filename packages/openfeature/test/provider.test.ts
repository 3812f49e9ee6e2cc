// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { createAttune, type AttuneClient, type AttuneOptions } from '@attune/core';
import { ErrorCode, OpenFeature, ProviderEvents, type EventDetails } from '@openfeature/web-sdk';
import { describe, expect, it, vi } from 'vitest';
import { fakeHost, type FakeHost } from '../../core/test/bundle/signing.js';
import { fakeCollector } from '../../core/test/support.js';
import { sleep } from '../../react/test/support.js';
import { AttuneProvider, type AttuneProviderOptions } from '../src/index.js';
import { isolateTests, pageClient } from './browser.js';
import { flagsBundle } from './flags-bundle.js';

isolateTests();

const flags = () => OpenFeature.getClient();

/** A client on the flags bundle, its visitor consenting (unless `consent: false`), behind OpenFeature. */
async function visitor({ consent = true, provider, ...options }: Partial<AttuneOptions> & { consent?: boolean; provider?: AttuneProviderOptions } = {}): Promise<AttuneClient> {
  const client = pageClient({ bundle: flagsBundle, onError: () => {}, ...options });
  if (consent) await client.consent.grant();
  await OpenFeature.setProviderAndWait(new AttuneProvider(client, provider));
  return client;
}

/** The next time OpenFeature emits `event`. */
function next(event: ProviderEvents): Promise<EventDetails | undefined> {
  return new Promise((resolve) => {
    const once = (details?: EventDetails) => {
      OpenFeature.removeHandler(event, once);
      resolve(details);
    };
    OpenFeature.addHandler(event, once);
  });
}

/** Every CONFIGURATION_CHANGED OpenFeature emits from now on. */
function configurationChanges(): (EventDetails | undefined)[] {
  const seen: (EventDetails | undefined)[] = [];
  OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) => void seen.push(details));
  return seen;
}

const bundleUrl = 'https://cdn.example/flags.json';

/** A CDN serving `bundle` at bundleUrl. */
function cdn(bundle: object = flagsBundle): FakeHost {
  const host = fakeHost();
  host.files.set(bundleUrl, { body: JSON.stringify(bundle), etag: `"${Math.random()}"` });
  return host;
}

describe('reasons, variants and metadata', () => {
  it("gives a slot's personalized content with TARGETING_MATCH, its variant and experience", async () => {
    const client = await visitor();
    for (let i = 0; i < 3; i++) client.track('product_viewed');
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({
      value: 'Welcome back!',
      reason: 'TARGETING_MATCH',
      variant: 'engaged',
      flagMetadata: { slot: 'home.hero', attuneReason: 'matched', experience: 'hero-engaged' },
    });
  });

  it("gives the slot's default content with DEFAULT when the visitor is not in the audience", async () => {
    await visitor();
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Welcome', reason: 'DEFAULT', variant: 'default', flagMetadata: { attuneReason: 'not-in-audience' } });
    expect(flags().getStringDetails('home.hero', 'Hello').errorCode).toBeUndefined();
  });

  it("gives the caller's default value with DEFAULT when the slot has no default content", async () => {
    await visitor();
    const details = flags().getStringDetails('banner', 'No banner');
    expect(details).toMatchObject({ value: 'No banner', reason: 'DEFAULT' });
    expect(details.variant).toBeUndefined();
  });

  it('gives the default content with DISABLED until the visitor consents to personalization', async () => {
    const client = await visitor({ consent: false });
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Welcome', reason: 'DISABLED', flagMetadata: { attuneReason: 'default-no-consent' } });
    await client.consent.grant();
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Welcome', reason: 'DEFAULT' });
  });

  it("gives an experiment's variant with SPLIT, the experiment in the metadata", async () => {
    await visitor();
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    expect(flags().getStringDetails('checkout.cta', 'Buy')).toMatchObject({
      value: 'Complete your order',
      reason: 'SPLIT',
      variant: 'b',
      flagMetadata: { slot: 'checkout.cta', attuneReason: 'matched', experience: 'cta-copy', experiment: 'checkout-cta', experimentVariant: 'b' },
    });
  });

  it('gives a held-out visitor the default content with SPLIT, "holdout" as the experiment variant', async () => {
    await visitor();
    expect(flags().getStringDetails('footer', 'Bye')).toMatchObject({
      value: 'Thanks for visiting',
      reason: 'SPLIT',
      variant: 'control',
      flagMetadata: { attuneReason: 'holdout', experiment: 'footer-test', experimentVariant: 'holdout' },
    });
  });

  it('serves a QA override (client.force) as TARGETING_MATCH, marked forced', async () => {
    const client = await visitor();
    client.force('checkout-cta', 'c');
    expect(flags().getStringDetails('checkout.cta', 'Buy')).toMatchObject({ value: 'Checkout', reason: 'TARGETING_MATCH', variant: 'c', flagMetadata: { attuneReason: 'forced', forced: true } });
  });

  it("answers a flag key that is an experiment id with that experiment's decision", async () => {
    await visitor();
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    expect(flags().getStringDetails('checkout-cta', 'Buy')).toMatchObject({ value: 'Complete your order', reason: 'SPLIT', variant: 'b', flagMetadata: { slot: 'checkout.cta' } });
  });

  it("answers an experiment id with the caller's default when another experience holds its slot", async () => {
    await visitor();
    await OpenFeature.setContext({ targetingKey: 'user-2', plan: 'pro' });
    expect(flags().getStringValue('checkout.cta', 'Buy')).toBe('Your pro checkout');
    const details = flags().getStringDetails('checkout-cta', 'Buy');
    expect(details).toMatchObject({ value: 'Buy', reason: 'DEFAULT', flagMetadata: { experience: 'cta-pro' } });
    expect(details.variant).toBeUndefined();
  });
});

describe('exposures', () => {
  it("reports an evaluated experiment's exposure once per page view", async () => {
    const client = await visitor();
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    flags().getStringValue('checkout.cta', 'Buy');
    flags().getStringValue('checkout.cta', 'Buy');
    expect(client.count('experiment_exposure')).toBe(1);
  });

  it('leaves exposures to the application with exposures: false', async () => {
    const client = await visitor({ provider: { exposures: false } });
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    expect(flags().getStringValue('checkout.cta', 'Buy')).toBe('Complete your order');
    expect(client.count('experiment_exposure')).toBe(0);
  });

  it('reports no exposure for a value the caller did not get (TYPE_MISMATCH)', async () => {
    const client = await visitor();
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    expect(flags().getNumberDetails('checkout.cta', 0).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    expect(client.count('experiment_exposure')).toBe(0);
  });
});

describe('values by flag type', () => {
  it('reads booleans from JSON content and from the text "true" or "false"', async () => {
    await visitor();
    expect(flags().getBooleanDetails('flags.new-checkout', false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    expect(flags().getBooleanDetails('flags.dark-mode', true)).toMatchObject({ value: false, reason: 'TARGETING_MATCH' });
  });

  it('reads numbers from JSON content and from decimal text', async () => {
    await visitor();
    expect(flags().getNumberValue('flags.discount', 0)).toBe(10);
    expect(flags().getNumberValue('flags.max-items', 0)).toBe(12.5);
  });

  it("returns a JSON content's value as an object flag", async () => {
    await visitor();
    expect(flags().getObjectDetails('home.picks', {})).toMatchObject({ value: { skus: ['A1', 'B7'] }, reason: 'TARGETING_MATCH', variant: 'on' });
  });

  it.each([
    ['a number from text that is not a number', 'getNumberDetails', 'home.hero', 0],
    ['a number from hexadecimal text', 'getNumberDetails', 'flags.hex', 0],
    ['a boolean from text that is not true or false', 'getBooleanDetails', 'flags.max-items', false],
    ['a boolean from a JSON number', 'getBooleanDetails', 'flags.discount', false],
    ['an object from text', 'getObjectDetails', 'home.hero', { none: true }],
    ['a string from a JSON object', 'getStringDetails', 'home.picks', 'none'],
  ] as const)("answers TYPE_MISMATCH with the caller's default for %s", async (_case, method, flagKey, defaultValue) => {
    await visitor();
    const details = (flags()[method] as (key: string, value: unknown) => { value: unknown; reason?: string; errorCode?: string })(flagKey, defaultValue);
    expect(details).toMatchObject({ value: defaultValue, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
  });
});

describe('errors', () => {
  it('answers FLAG_NOT_FOUND for a key that is neither a slot nor an experiment', async () => {
    await visitor();
    expect(flags().getStringDetails('no.such.slot', 'Hello')).toMatchObject({ value: 'Hello', reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it("answers ERROR (GENERAL) with Attune's message when the slot's rule fails at run time", async () => {
    await visitor();
    const details = flags().getStringDetails('offer', 'No offer');
    expect(details).toMatchObject({ value: 'No offer', reason: 'ERROR', errorCode: ErrorCode.GENERAL, flagMetadata: { attuneReason: 'error' } });
    expect(details.errorMessage).toMatch(/model "buy-propensity" cannot score/);
  });

  it('answers ERROR (GENERAL) once the bundle has expired', async () => {
    await visitor({ bundle: { ...flagsBundle, generatedAt: '2020-01-01T00:00:00Z', expiresAt: '2020-02-01T00:00:00Z' } });
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Hello', reason: 'ERROR', errorCode: ErrorCode.GENERAL, errorMessage: 'default-expired' });
  });

  it('fails to initialize with PARSE_ERROR for an invalid bundle, then answers every flag with it', async () => {
    const client = pageClient({ bundle: '{"schema": "attune.bundle/1", ', onError: () => {} });
    const error = next(ProviderEvents.Error);
    await expect(OpenFeature.setProviderAndWait(new AttuneProvider(client))).rejects.toMatchObject({ code: ErrorCode.PARSE_ERROR, message: expect.stringMatching(/not UTF-8 JSON/) });
    expect((await error)?.message).toMatch(/not UTF-8 JSON/);
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Hello', reason: 'ERROR', errorCode: ErrorCode.PARSE_ERROR });
  });

  it('fails to initialize with GENERAL when the bundle cannot be fetched', async () => {
    const client = pageClient({ bundleUrl: 'https://cdn.example/moved.json', onError: () => {}, environment: { fetch: cdn().fetch } });
    await expect(OpenFeature.setProviderAndWait(new AttuneProvider(client))).rejects.toMatchObject({ code: ErrorCode.GENERAL });
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Hello', errorCode: ErrorCode.GENERAL });
  });

  it('answers PROVIDER_NOT_READY until the bundle has loaded, then the decision', async () => {
    const host = cdn();
    const network = host.hold();
    const client = pageClient({ bundleUrl, environment: { fetch: host.fetch } });
    const provider = new AttuneProvider(client);
    const initialized = OpenFeature.setProviderAndWait(provider);
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Hello', errorCode: ErrorCode.PROVIDER_NOT_READY });
    // Asked directly (OpenFeature asks only once it is ready), the provider says the same.
    expect(provider.resolveStringEvaluation('home.hero', 'Hello')).toMatchObject({ value: 'Hello', errorCode: ErrorCode.PROVIDER_NOT_READY });
    network.release();
    await initialized;
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Welcome', reason: 'DISABLED' });
  });
});

describe('evaluation context', () => {
  it("turns the context's attributes into traits the bundle's rules read, and removes a trait with its attribute", async () => {
    const client = await visitor();
    await OpenFeature.setContext({ plan: 'pro', country: 'FR' });
    expect(flags().getStringDetails('banner', 'No banner')).toMatchObject({ value: 'Pro tips', reason: 'TARGETING_MATCH' });
    await OpenFeature.setContext({ country: 'FR' });
    expect(flags().getStringDetails('banner', 'No banner')).toMatchObject({ value: 'No banner', reason: 'DEFAULT' });
    expect({ ...client.getSnapshot().profile.traits }).toEqual({ country: 'FR' });
  });

  it('keeps dates in the context as ISO text traits', async () => {
    const client = await visitor();
    await OpenFeature.setContext({ since: new Date('2026-01-05T10:00:00Z') });
    expect(client.getSnapshot().profile.traits.since).toBe('2026-01-05T10:00:00.000Z');
  });

  it('applies a context given before consent once personalization is granted', async () => {
    const client = await visitor({ consent: false });
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    expect(flags().getStringDetails('checkout.cta', 'Buy').reason).toBe('DISABLED');
    await client.consent.grant();
    expect(flags().getStringDetails('checkout.cta', 'Buy')).toMatchObject({ value: 'Complete your order', reason: 'SPLIT' });
    expect(client.getSnapshot().profile.userId).toBe('user-2');
  });

  it('starts a fresh anonymous profile when the targeting key goes away (a logout)', async () => {
    const client = await visitor();
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    const anonymousId = client.getSnapshot().profile.anonymousId;
    await OpenFeature.setContext({});
    expect(client.getSnapshot().profile).toMatchObject({ userId: null });
    expect(client.getSnapshot().profile.anonymousId).not.toBe(anonymousId);
    expect(flags().getStringDetails('checkout.cta', 'Buy')).toMatchObject({ value: 'Buy now', reason: 'DEFAULT', flagMetadata: { attuneReason: 'not-in-traffic' } });
  });
});

describe('events', () => {
  it('emits CONFIGURATION_CHANGED naming the flags a context change changed', async () => {
    await visitor();
    flags().getStringValue('checkout.cta', 'Buy');
    flags().getStringValue('home.hero', 'Hello');
    const changed = next(ProviderEvents.ConfigurationChanged);
    await OpenFeature.setContext({ targetingKey: 'user-2' });
    expect((await changed)?.flagsChanged).toEqual(['checkout.cta']);
  });

  it("emits CONFIGURATION_CHANGED when the visitor's own actions change a decision", async () => {
    const client = await visitor();
    flags().getStringValue('home.hero', 'Hello');
    const changed = next(ProviderEvents.ConfigurationChanged);
    for (let i = 0; i < 3; i++) client.track('product_viewed');
    expect((await changed)?.flagsChanged).toEqual(['home.hero']);
    expect(flags().getStringValue('home.hero', 'Hello')).toBe('Welcome back!');
  });

  it('tells every reader of a flag, even when one of them read the new value before the change was announced', async () => {
    const client = await visitor();
    flags().getStringValue('home.hero', 'Hello');
    const changed = next(ProviderEvents.ConfigurationChanged);
    for (let i = 0; i < 3; i++) client.track('product_viewed');
    expect(flags().getStringValue('home.hero', 'Hello')).toBe('Welcome back!');
    expect((await changed)?.flagsChanged).toEqual(['home.hero']);
  });

  it('emits nothing when what the visitor did changes no evaluated flag', async () => {
    const client = await visitor();
    flags().getStringValue('home.hero', 'Hello');
    const changes = configurationChanges();
    client.track('newsletter_opened');
    await sleep(20);
    expect(changes).toEqual([]);
  });

  it('emits CONFIGURATION_CHANGED for every flag when a newer bundle serves', async () => {
    // An earlier page, where the visitor consented, cached version 1.
    const host = cdn();
    const earlier = createAttune({ bundleUrl, environment: { fetch: host.fetch } });
    await earlier.consent.grant();
    await earlier.ready;
    earlier.destroy();
    // This page starts from the cached copy while the network brings version 2.
    host.files.set(bundleUrl, { body: JSON.stringify({ ...flagsBundle, version: 2, content: { ...flagsBundle.content, 'hero-default': { type: 'text', value: 'Hello again' } } }), etag: '"2"' });
    const network = host.hold();
    const client = pageClient({ bundleUrl, environment: { fetch: host.fetch } });
    await OpenFeature.setProviderAndWait(new AttuneProvider(client));
    expect(flags().getStringValue('home.hero', 'Hello')).toBe('Welcome');
    const changed = next(ProviderEvents.ConfigurationChanged);
    network.release();
    expect(await changed).not.toHaveProperty('flagsChanged');
    expect(flags().getStringValue('home.hero', 'Hello')).toBe('Hello again');
  });

  it('stops listening when closed, leaving the client working for the application', async () => {
    const client = await visitor();
    flags().getStringValue('home.hero', 'Hello');
    const changes = configurationChanges();
    await OpenFeature.clearProviders();
    for (let i = 0; i < 3; i++) client.track('product_viewed');
    await sleep(20);
    expect(changes).toEqual([]);
    expect(client.decide('home.hero').reason).toBe('matched');
  });
});

describe('tracking', () => {
  it("sends OpenFeature's track() calls as Attune events with their details", async () => {
    const collector = fakeCollector();
    const client = await visitor({ collectorUrl: 'https://collector.example/collect', environment: { fetch: collector.fetch } });
    flags().track('add_to_cart', { value: 20, sku: 'A1' });
    await client.flush();
    expect(collector.events.find((event) => event.name === 'add_to_cart')).toMatchObject({ properties: { value: 20, sku: 'A1' } });
  });
});

describe('misuse', () => {
  it('reports a targeting key Attune cannot use as a user id, and keeps serving', async () => {
    const onError = vi.fn();
    await visitor({ onError });
    await OpenFeature.setContext({ targetingKey: 'x'.repeat(201) });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'profile-invalid' }));
    expect(flags().getStringDetails('home.hero', 'Hello')).toMatchObject({ value: 'Welcome', reason: 'DEFAULT' });
  });
});
